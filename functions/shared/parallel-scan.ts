import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PagePosition, ScanOptions, SegmentPosition } from '../jobs/scan-position';

/**
 * Pages of a Scan in `segments` parallel segments, each page handed to `onPage` as it arrives with
 * the segment's position after it; a segment reads its next page once `onPage` has settled (so a
 * slow consumer holds the scan back). Returns every segment's position: all done, or where to
 * resume after `stop`.
 */
export const parallelScan = async (
  client: DynamoDBDocumentClient,
  input: ScanCommandInput,
  segments: number,
  onPage: (items: Record<string, unknown>[], after: PagePosition) => void | Promise<void>,
  options: ScanOptions = {},
): Promise<SegmentPosition[]> => {
  const total = options.from?.length ?? segments;
  return Promise.all(
    Array.from({ length: total }, async (_, segment): Promise<SegmentPosition> => {
      let position: SegmentPosition = options.from?.[segment] ?? { done: false };
      while (!position.done) {
        if (options.stop?.()) return position;
        const page = await client.send(
          new ScanCommand({
            ...input,
            Segment: segment,
            TotalSegments: total,
            ...(position.next ? { ExclusiveStartKey: position.next } : {}),
            ...(options.pageSize ? { Limit: options.pageSize } : {}),
          }),
        );
        position = page.LastEvaluatedKey ? { next: page.LastEvaluatedKey, done: false } : { done: true };
        await onPage(page.Items ?? [], { ...position, segment, segments: total });
      }
      return position;
    }),
  );
};
