import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Reads every key in batches of 100, retrying unprocessed keys with exponential backoff and
 * jitter. Returns the items found (absent keys simply have no item).
 */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { consistentRead?: boolean; maxAttempts?: number } = {},
): Promise<Record<string, unknown>[]> => {
  const found: Record<string, unknown>[] = [];
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += 100)
    batches.push(keys.slice(i, i + 100) as Record<string, unknown>[]);
  // Batches are independent: read them side by side.
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > (options.maxAttempts ?? 8))
          throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
        if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead ?? true } },
          }),
        );
        found.push(...(Responses?.[tableName] ?? []));
        pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }),
  );
  return found;
};
