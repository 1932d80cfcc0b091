import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../shared/batch-write-all';
import type { EventStore } from './event-store';

export class DynamoDbEventStore implements EventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async deleteAllFor(profileId: string): Promise<number> {
    let removed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'profileId = :p',
          ExpressionAttributeValues: { ':p': profileId },
          ProjectionExpression: 'profileId, eventKey',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const keys = (page.Items ?? []).map((item) => ({ DeleteRequest: { Key: item } }));
      await batchWriteAll(this.client, this.tableName, keys);
      removed += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return removed;
  }
}
