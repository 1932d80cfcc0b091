import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDbJobLeases } from '../jobs/dynamodb-job-leases';
import { isConditionFailure } from '../shared/is-condition-failure';
import { queryAll } from '../shared/query-all';
import {
  type ChunkJournal,
  FINISHED_IMPORT_STATUSES,
  type ImportProgress,
  type ImportRecord,
} from './import-record';
import type { ClaimResult, ImportStore } from './import-store';

const recordKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' });
const chunkKey = (importId: string, chunk: number) => ({
  pk: `IMPORT#${importId}`,
  sk: `CHUNK#${String(chunk).padStart(8, '0')}`,
});
/** One item per import under one partition, sorted by start time: the listing. */
const LIST_PK = 'IMPORTS';

const INTERNAL = ['pk', 'sk', 'leaseOwner', 'leaseUntil'];
const strip = (item: Record<string, unknown>): ImportRecord => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.includes(k)) out[k] = v;
  return out as unknown as ImportRecord;
};

/** Imports in the jobs table: the record (with its lease), its chunk journal, and a listing item. */
export class DynamoDbImportStore implements ImportStore {
  private readonly leases: DynamoDbJobLeases<ImportRecord>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.leases = new DynamoDbJobLeases(client, tableName, {
      key: recordKey,
      over: FINISHED_IMPORT_STATUSES,
      counter: 'progress.invocations',
    });
  }

  async claim(fresh: ImportRecord, leaseMs: number, owner: string): Promise<ClaimResult> {
    const claim = await this.leases.claim(fresh.importId, owner, leaseMs, fresh);
    if (claim.outcome === 'over') return { outcome: 'done', record: claim.job };
    if (claim.outcome === 'busy') return { outcome: 'busy' };
    if (claim.outcome === 'missing') throw new Error(`import ${fresh.importId} vanished while claimed`);
    // The listing item, written by every claim (idempotent): a crash right after creating the record
    // must not leave an import that GET /imports never lists.
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: LIST_PK,
          sk: `${claim.job.startedAt}#${claim.job.importId}`,
          importId: claim.job.importId,
        },
      }),
    );
    return { outcome: 'claimed', record: claim.job };
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
    return this.leases.checkpoint(
      importId,
      owner,
      { progress, counts, updatedAt: new Date().toISOString() },
      leaseMs,
    );
  }

  release(importId: string, owner: string): Promise<void> {
    return this.leases.release(importId, owner);
  }

  finish(record: ImportRecord, owner: string): Promise<boolean> {
    return this.leases.finish(record.importId, owner, record);
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
