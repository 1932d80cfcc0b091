import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/is-condition-failure';
import { queryPages } from '../shared/query-all';
import type { ScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

const PK = 'SCORING';
const keyOf = (runId: string) => ({ pk: PK, sk: `RUN#${runId}` });

const runOf = (item: Record<string, unknown> | undefined): ScoringRun | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...run } = item;
  return run as unknown as ScoringRun;
};

/** Scoring runs in the jobs table, one partition `SCORING`, sort key `RUN#<runId>` (ids sort by time). */
export class DynamoDbScoringRunStore implements ScoringRunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(run: ScoringRun): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(run.runId), ...run },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(runId: string): Promise<ScoringRun | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(runId), ConsistentRead: true }),
    );
    return runOf(Item);
  }

  async claim(runId: string, owner: string, now: string, until: string): Promise<ScoringRun | undefined> {
    const run = await this.get(runId);
    if (!run || run.status === 'succeeded' || run.status === 'failed') return undefined;
    if (run.lease && run.lease.owner !== owner && run.lease.until > now) return undefined;
    const claimed: ScoringRun = { ...run, attempts: run.attempts + 1, lease: { owner, until } };
    try {
      // Optimistic: the claim holds only if nobody claimed or finished the run since it was read.
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(runId), ...claimed },
          ConditionExpression: 'attempts = :attempts',
          ExpressionAttributeValues: { ':attempts': run.attempts },
        }),
      );
      return claimed;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async save(run: ScoringRun): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keyOf(run.runId), ...run } }),
    );
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
    const runs = (Items ?? []).map((item) => runOf(item)!);
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
        const run = runOf(item)!;
        if (accept(run)) return run;
      }
    }
    return undefined;
  }
}
