import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Pages of a Scan in `segments` parallel segments, each page handed to `onPage` as it arrives; a
 * segment reads its next page once `onPage` has settled (so a slow consumer holds the scan back).
 */
export const parallelScan = async (
  client: DynamoDBDocumentClient,
  input: ScanCommandInput,
  segments: number,
  onPage: (items: Record<string, unknown>[]) => void | Promise<void>,
): Promise<void> => {
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            ...input,
            Segment: segment,
            TotalSegments: segments,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        await onPage(page.Items ?? []);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
};
