import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all';

/** Every item of one partition (`pk`), read consistently, at most `limit`: a store's whole list. */
export const queryPartition = (
  client: DynamoDBDocumentClient,
  table: string,
  pk: string,
  limit: number,
): Promise<Record<string, unknown>[]> =>
  queryAll(client, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ConsistentRead: true,
    Limit: limit,
  });
