import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../shared/batch-write-all';
import type { EventLog } from './event-log';
import type { StoredEvent } from './stored-event';

export class DynamoDbEventStore implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(event: StoredEvent): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: event,
          ConditionExpression: 'attribute_not_exists(eventKey)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async putAll(events: readonly StoredEvent[]): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      events.map((event) => ({ PutRequest: { Item: event as unknown as Record<string, unknown> } })),
    );
  }

  async list(
    profileId: string,
    options: { readonly types?: readonly string[] } = {},
  ): Promise<StoredEvent[]> {
    const types = options.types ?? [];
    const filter =
      types.length > 0
        ? {
            FilterExpression: `#type IN (${types.map((_, i) => `:t${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#type': 'type' },
          }
        : {};
    const values: Record<string, unknown> = { ':p': profileId };
    types.forEach((t, i) => {
      values[`:t${i}`] = t;
    });
    const events: StoredEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'profileId = :p',
          ExpressionAttributeValues: values,
          ConsistentRead: true,
          ...filter,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      events.push(...((page.Items ?? []) as StoredEvent[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

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
