import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbJobLeases } from '../jobs/dynamodb-job-leases';
import { batchGetAll } from '../shared/batch-get-all';
import { isConditionFailure } from '../shared/is-condition-failure';
import { queryPages } from '../shared/query-all';
import { FINISHED_RUN_STATUSES, type Run } from './run';
import type { BatchCounts } from './run-counts';
import type { RecipientPage, RecordExpectation, RunStore } from './run-store';
import type { SendRecord, SendStatus } from './send-record';

// The jobs table's part for campaign runs:
//   RUN#<runId> / RUN            the run, with its lease and audience position
//   RUN#<runId> / SEND#<profile> one send record per recipient
//   RUN#<runId> / COUNT#<batch>  the counts of one send batch
//   RUNS#<campaignId> / <scheduledTime>#<runId>   the campaign's runs, in time order

const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });
const sendKey = (runId: string, profileId: string) => ({ pk: `RUN#${runId}`, sk: `SEND#${profileId}` });
const countKey = (runId: string, batch: string) => ({ pk: `RUN#${runId}`, sk: `COUNT#${batch}` });

const recordOf = (item: Record<string, unknown>): SendRecord => {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as SendRecord;
};

/** The ConditionExpression of an expectation (any of its parts). */
const conditionOf = (expect: RecordExpectation) => {
  const parts: string[] = [];
  const values: Record<string, unknown> = {};
  if (expect.absent) parts.push('attribute_not_exists(pk)');
  (expect.statuses ?? []).forEach((s, i) => {
    values[`:s${i}`] = s;
  });
  if (expect.statuses?.length)
    parts.push(`#status IN (${expect.statuses.map((_, i) => `:s${i}`).join(', ')})`);
  if (expect.claimId !== undefined) {
    values[':claim'] = expect.claimId;
    parts.push('(#status = :sending AND claimId = :claim)');
  }
  if (expect.deferredDueBy !== undefined) {
    values[':due'] = expect.deferredDueBy;
    values[':deferred'] = 'deferred';
    parts.push('(#status = :deferred AND deferUntil <= :due)');
  }
  if (expect.claimedBefore !== undefined) {
    values[':before'] = expect.claimedBefore;
    parts.push('(#status = :sending AND claimedAt <= :before)');
  }
  if (expect.claimId !== undefined || expect.claimedBefore !== undefined) values[':sending'] = 'sending';
  return { expression: parts.join(' OR '), values };
};

const encodeCursor = (profileId: string) => Buffer.from(profileId, 'utf8').toString('base64url');
export const decodeRecipientCursor = (cursor: string): string | undefined => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
};

export class DynamoDbRunStore implements RunStore {
  private readonly leases: DynamoDbJobLeases<Run>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.leases = new DynamoDbJobLeases(client, tableName, {
      key: runKey,
      over: FINISHED_RUN_STATUSES,
      counter: 'invocations',
    });
  }

  async create(runId: string, run: Run) {
    const created = await this.leases.create(runId, run);
    await this.list(run);
    return created;
  }
  async claim(runId: string, owner: string, leaseMs: number, fresh?: Run) {
    const claim = await this.leases.claim(runId, owner, leaseMs, fresh);
    if (claim.outcome === 'claimed' && claim.created) await this.list(claim.job);
    return claim;
  }
  checkpoint(runId: string, owner: string, changes: Partial<Run>, leaseMs: number) {
    return this.leases.checkpoint(runId, owner, changes, leaseMs);
  }
  release(runId: string, owner: string) {
    return this.leases.release(runId, owner);
  }
  finish(runId: string, owner: string, changes: Partial<Run>) {
    return this.leases.finish(runId, owner, changes);
  }

  /** The listing entry, written after the run (a retry rewrites the same item). */
  private async list(run: Run): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `RUNS#${run.campaignId}`, sk: `${run.scheduledTime}#${run.runId}`, runId: run.runId },
      }),
    );
  }

  async get(runId: string): Promise<Run | undefined> {
    return (await this.leases.read(runId))?.job;
  }

  async listForCampaign(campaignId: string, limit: number): Promise<Run[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RUNS#${campaignId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const runs = await this.batchGet(Items.map((i) => runKey(String(i['runId']))));
    const byId = new Map(runs.map((r) => [String(r['runId']), r as unknown as Run]));
    return Items.map((i) => byId.get(String(i['runId']))).filter((r): r is Run => r !== undefined);
  }

  async records(runId: string, profileIds: readonly string[]): Promise<Map<string, SendRecord>> {
    const items = await this.batchGet(profileIds.map((id) => sendKey(runId, id)));
    return new Map(items.map((item) => [String(item['profileId']), recordOf(item)]));
  }

  private batchGet(keys: readonly Record<string, string>[]): Promise<Record<string, unknown>[]> {
    return batchGetAll(this.client, this.tableName, keys, { consistentRead: true });
  }

  async put(record: SendRecord, expect: RecordExpectation): Promise<boolean> {
    const condition = conditionOf(expect);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...record, ...sendKey(record.runId, record.profileId) },
          ConditionExpression: condition.expression,
          ...(condition.expression.includes('#status')
            ? { ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ...(Object.keys(condition.values).length ? { ExpressionAttributeValues: condition.values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putBatchCounts(runId: string, batch: string, counts: BatchCounts, progress: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...countKey(runId, batch), counts, progress },
          ConditionExpression: 'attribute_not_exists(pk) OR progress <= :progress',
          ExpressionAttributeValues: { ':progress': progress },
        }),
      );
    } catch (error) {
      // A view further along is stored already: it stays.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async countsOf(runId: string): Promise<Record<string, number>> {
    const total: Record<string, number> = {};
    for await (const page of queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :count)',
      ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':count': 'COUNT#' },
      ProjectionExpression: 'counts',
      ConsistentRead: true,
    }))
      for (const item of page)
        for (const [key, n] of Object.entries((item['counts'] ?? {}) as Record<string, number>))
          total[key] = (total[key] ?? 0) + n;
    return total;
  }

  async recipients(
    runId: string,
    options: { status?: SendStatus; limit: number; cursor?: string },
  ): Promise<RecipientPage> {
    const items: SendRecord[] = [];
    let start: Record<string, unknown> | undefined = options.cursor
      ? sendKey(runId, decodeRecipientCursor(options.cursor) ?? '')
      : undefined;
    // A filtered page may come back short: read on, but never more than a few pages per request.
    for (let pages = 0; pages < 10 && items.length < options.limit; pages++) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
          ...(options.status
            ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ExpressionAttributeValues: {
            ':pk': `RUN#${runId}`,
            ':send': 'SEND#',
            ...(options.status ? { ':status': options.status } : {}),
          },
          Limit: options.status ? Math.max(options.limit, 200) : options.limit - items.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        if (items.length < options.limit) items.push(recordOf(item));
      }
      start = result.LastEvaluatedKey;
      if (!start) break;
      if (items.length >= options.limit) break;
    }
    const last = items.at(-1);
    const more = start !== undefined || items.length === options.limit;
    return { items, ...(more && last ? { cursor: encodeCursor(last.profileId) } : {}) };
  }
}
