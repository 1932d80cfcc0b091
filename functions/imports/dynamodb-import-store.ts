import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportRecord } from './import-record';
import type { ClaimResult, ImportStore } from './import-store';

const key = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' });

const strip = (item: Record<string, unknown>): ImportRecord => {
  const { pk: _pk, sk: _sk, leaseUntil: _lease, ...record } = item;
  return record as unknown as ImportRecord;
};

/** Imports in the jobs table, one item per import (`IMPORT#<importId>`). */
export class DynamoDbImportStore implements ImportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(record: ImportRecord, leaseMs: number): Promise<ClaimResult> {
    const now = Date.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(record.importId), ...record, leaseUntil: now + leaseMs },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :running AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':now': now },
        }),
      );
      return { outcome: 'claimed' };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const current = await this.get(record.importId);
      if (current && current.status !== 'running') return { outcome: 'done', record: current };
      return { outcome: 'busy' };
    }
  }

  async finish(record: ImportRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key(record.importId), ...record } }),
    );
  }

  async get(importId: string): Promise<ImportRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key(importId), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }
}
