import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/is-condition-failure';
import { queryAll } from '../shared/query-all';
import type { ChunkJournal, ImportProgress, ImportRecord } from './import-record';
import type { ClaimResult, ImportStore } from './import-store';

const recordKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' });
const chunkKey = (importId: string, chunk: number) => ({
  pk: `IMPORT#${importId}`,
  sk: `CHUNK#${String(chunk).padStart(8, '0')}`,
});
/** One item per import under one partition, sorted by start time: the listing. */
const LIST_PK = 'IMPORTS';

const INTERNAL = ['pk', 'sk', 'owner', 'leaseUntil'];
const strip = (item: Record<string, unknown>): ImportRecord => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.includes(k)) out[k] = v;
  return out as unknown as ImportRecord;
};

/** Imports in the jobs table: the record, its chunk journal, and a listing item. */
export class DynamoDbImportStore implements ImportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(fresh: ImportRecord, leaseMs: number, owner: string): Promise<ClaimResult> {
    const now = Date.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...recordKey(fresh.importId), ...fresh, owner, leaseUntil: now + leaseMs },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: LIST_PK, sk: `${fresh.startedAt}#${fresh.importId}`, importId: fresh.importId },
        }),
      );
      return { outcome: 'claimed', record: fresh };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: recordKey(fresh.importId),
          UpdateExpression:
            'SET #owner = :owner, leaseUntil = :lease, updatedAt = :at, progress.invocations = progress.invocations + :one',
          ConditionExpression: '#status = :running AND leaseUntil < :now',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':lease': now + leaseMs,
            ':at': new Date(now).toISOString(),
            ':one': 1,
            ':running': 'running',
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'claimed', record: strip(Attributes ?? {}) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.get(fresh.importId);
      if (current && current.status !== 'running') return { outcome: 'done', record: current };
      return { outcome: 'busy' };
    }
  }

  async journal(importId: string, entry: ChunkJournal): Promise<ChunkJournal> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...chunkKey(importId, entry.chunk), ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return entry;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: chunkKey(importId, entry.chunk),
          ConsistentRead: true,
        }),
      );
      const { pk: _pk, sk: _sk, ...journal } = Item ?? {};
      return journal as unknown as ChunkJournal;
    }
  }

  async journals(importId: string): Promise<ChunkJournal[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
      ExpressionAttributeValues: { ':pk': `IMPORT#${importId}`, ':chunk': 'CHUNK#' },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, ...journal }) => journal as unknown as ChunkJournal);
  }

  async progress(
    importId: string,
    owner: string,
    progress: ImportProgress,
    counts: ImportRecord['counts'],
    leaseMs: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: recordKey(importId),
          UpdateExpression: 'SET progress = :p, counts = :c, leaseUntil = :lease, updatedAt = :at',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':p': progress,
            ':c': counts,
            ':lease': Date.now() + leaseMs,
            ':at': new Date().toISOString(),
            ':owner': owner,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(importId: string, owner: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: recordKey(importId),
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':zero': 0, ':owner': owner },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async finish(record: ImportRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...recordKey(record.importId), ...record, leaseUntil: 0 },
      }),
    );
  }

  async get(importId: string): Promise<ImportRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: recordKey(importId), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }

  async list(limit: number): Promise<ImportRecord[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': LIST_PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const ids = (Items ?? []).map((i) => i.importId as string);
    if (ids.length === 0) return [];
    const { Responses } = await this.client.send(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: ids.map(recordKey) } } }),
    );
    const byId = new Map(
      (Responses?.[this.tableName] ?? []).map((item) => [item.importId as string, strip(item)]),
    );
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }
}
