import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbJobLeases } from '../jobs/dynamodb-job-leases';
import { queryPages } from '../shared/query-all';
import { FINISHED_RUN_STATUSES, type ScoringRun, type StoredScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

const PK = 'SCORING';
const keyOf = (runId: string) => ({ pk: PK, sk: `RUN#${runId}` });

const runOf = (item: Record<string, unknown>): StoredScoringRun => {
  const { pk: _pk, sk: _sk, leaseOwner, leaseUntil, ...run } = item;
  return {
    ...(run as unknown as ScoringRun),
    ...(typeof leaseOwner === 'string' && typeof leaseUntil === 'number'
      ? { lease: { owner: leaseOwner, until: leaseUntil } }
      : {}),
  };
};

/** Scoring runs in the jobs table, one partition `SCORING`, sort key `RUN#<runId>` (ids sort by time). */
export class DynamoDbScoringRunStore implements ScoringRunStore {
  private readonly leases: DynamoDbJobLeases<ScoringRun>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.leases = new DynamoDbJobLeases(client, tableName, {
      key: keyOf,
      over: FINISHED_RUN_STATUSES,
      counter: 'attempts',
    });
  }

  create(run: ScoringRun) {
    return this.leases.create(run.runId, run);
  }
  claim(runId: string, owner: string, leaseMs: number) {
    return this.leases.claim(runId, owner, leaseMs);
  }
  checkpoint(runId: string, owner: string, changes: Partial<ScoringRun>, leaseMs: number) {
    return this.leases.checkpoint(runId, owner, changes, leaseMs);
  }
  release(runId: string, owner: string) {
    return this.leases.release(runId, owner);
  }
  finish(runId: string, owner: string, changes: Partial<ScoringRun>) {
    return this.leases.finish(runId, owner, changes);
  }

  async get(runId: string): Promise<StoredScoringRun | undefined> {
    const stored = await this.leases.read(runId);
    return stored ? { ...stored.job, ...(stored.lease ? { lease: stored.lease } : {}) } : undefined;
  }

  async list(options: { readonly limit: number; readonly cursor?: string }) {
    const { Items, LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': PK, ':run': 'RUN#' },
        ScanIndexForward: false,
        Limit: options.limit,
        ...(options.cursor ? { ExclusiveStartKey: keyOf(options.cursor) } : {}),
      }),
    );
    const runs = (Items ?? []).map(runOf);
    const last = LastEvaluatedKey ? String(LastEvaluatedKey['sk']).slice('RUN#'.length) : undefined;
    return { runs, ...(last ? { cursor: last } : {}) };
  }

  async latestSucceeded(accept: (run: ScoringRun) => boolean = () => true) {
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
      FilterExpression: '#status = :succeeded',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': PK, ':run': 'RUN#', ':succeeded': 'succeeded' },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    for await (const page of pages) {
      for (const item of page) {
        const run = runOf(item);
        if (accept(run)) return run;
      }
    }
    return undefined;
  }
}
