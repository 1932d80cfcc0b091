import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/is-condition-failure';
import { queryAll } from '../shared/query-all';
import type { RunRecord, SendRecord } from './run-record';
import type { RunStore } from './run-store';

const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });
const sendKey = (runId: string, profileId: string) => ({ pk: `RUN#${runId}`, sk: `SEND#${profileId}` });

/** Runs and their send records in the jobs table: `RUN#<runId>` / `RUN` and `SEND#<profileId>`. */
export class DynamoDbRunStore implements RunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(run: RunRecord): Promise<RunRecord> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...runKey(run.runId), ...run },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return run;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = (await this.get(run.runId))!;
      const again: RunRecord = { ...existing, status: 'running', attempts: existing.attempts + 1 };
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.runId), ...again } }),
      );
      return again;
    }
  }

  async claim(record: SendRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...sendKey(record.runId, record.profileId), ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :failed AND retryable = :yes)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':yes': true },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settle(record: SendRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...sendKey(record.runId, record.profileId), ...record },
      }),
    );
  }

  async sends(runId: string): Promise<SendRecord[]> {
    return (await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
      ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':send': 'SEND#' },
      ConsistentRead: true,
    })) as unknown as SendRecord[];
  }

  async finish(run: RunRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.runId), ...run } }),
    );
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: runKey(runId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...run } = Item;
    return run as RunRecord;
  }
}
