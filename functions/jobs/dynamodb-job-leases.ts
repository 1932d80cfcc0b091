import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/is-condition-failure';
import type { JobLeases } from './job-leases';
import { type Claim, claimDecision, type JobState, type Lease } from './lease';

/** Where a job's record sits in the jobs table. */
export interface JobKey {
  readonly pk: string;
  readonly sk: string;
}

export interface JobLeaseOptions {
  readonly key: (id: string) => JobKey;
  /** Statuses after which the job is never claimed again. */
  readonly over: readonly string[];
  /** The attempt counter a claim increments: a top-level number, or a path (`progress.invocations`). */
  readonly counter: string;
  readonly now?: () => number;
}

/** The lease lives beside the job's own fields, under names no job uses. */
const OWNER = 'leaseOwner';
const UNTIL = 'leaseUntil';
const INTERNAL = new Set(['pk', 'sk', OWNER, UNTIL]);

const jobOf = <J>(item: Record<string, unknown>): J => {
  const job: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) job[k] = v;
  return job as J;
};
const leaseOf = (item: Record<string, unknown>): Lease | undefined =>
  typeof item[OWNER] === 'string' && typeof item[UNTIL] === 'number'
    ? { owner: item[OWNER], until: item[UNTIL] }
    : undefined;

/** SET (and REMOVE, for undefined values) of top-level fields, with placeholders. */
const assignments = (changes: Record<string, unknown>, also: Record<string, unknown>) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  Object.entries({ ...changes, ...also }).forEach(([field, value], i) => {
    if (INTERNAL.has(field) && !(field in also)) return;
    names[`#f${i}`] = field;
    if (value === undefined) remove.push(`#f${i}`);
    else {
      values[`:f${i}`] = value;
      set.push(`#f${i} = :f${i}`);
    }
  });
  return { names, values, set, remove };
};

/**
 * Job leases on the job's own item in the jobs table. A claim is one conditional update (exists,
 * not over, no other lease holding); every later write is conditional on `leaseOwner`.
 */
export class DynamoDbJobLeases<J extends JobState> implements JobLeases<J> {
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: JobLeaseOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async create(id: string, job: J): Promise<boolean> {
    return this.putNew(id, job);
  }

  async claim(id: string, owner: string, leaseMs: number, fresh?: J): Promise<Claim<J>> {
    const now = this.now();
    if (fresh && (await this.putNew(id, { ...(fresh as object), [OWNER]: owner, [UNTIL]: now + leaseMs })))
      return { outcome: 'claimed', job: fresh, created: true };
    const path = this.options.counter.split('.');
    const counter = path.map((_, i) => `#c${i}`).join('.');
    const overValues = Object.fromEntries(this.options.over.map((s, i) => [`:over${i}`, s]));
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.options.key(id),
          UpdateExpression: `SET #owner = :owner, #until = :until, ${counter} = if_not_exists(${counter}, :zero) + :one`,
          ConditionExpression: [
            'attribute_exists(pk)',
            ...(this.options.over.length > 0
              ? [`NOT (#status IN (${Object.keys(overValues).join(', ')}))`]
              : []),
            '(attribute_not_exists(#until) OR #until < :now OR #owner = :owner)',
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#owner': OWNER,
            '#until': UNTIL,
            '#status': 'status',
            ...Object.fromEntries(path.map((p, i) => [`#c${i}`, p])),
          },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': now + leaseMs,
            ':now': now,
            ':one': 1,
            ':zero': 0,
            ...overValues,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'claimed', job: jobOf<J>(Attributes ?? {}), created: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await this.read(id);
    if (!current) return { outcome: 'missing' };
    // The condition failed for one of the rule's reasons; say which, by the same rule.
    const decision = claimDecision(current.job, current.lease, owner, now, this.options.over);
    return decision === 'over'
      ? { outcome: 'over', job: current.job }
      : { outcome: 'busy', job: current.job };
  }

  async checkpoint(id: string, owner: string, changes: Partial<J>, leaseMs: number): Promise<boolean> {
    return this.updateHeld(id, owner, changes, { [UNTIL]: this.now() + leaseMs });
  }

  async release(id: string, owner: string): Promise<void> {
    await this.updateHeld(id, owner, {}, { [UNTIL]: 0 });
  }

  async finish(id: string, owner: string, changes: Partial<J>): Promise<boolean> {
    return this.updateHeld(id, owner, changes, { [UNTIL]: undefined, [OWNER]: undefined });
  }

  async read(id: string): Promise<{ job: J; lease?: Lease } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.options.key(id), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const lease = leaseOf(Item);
    return { job: jobOf<J>(Item), ...(lease ? { lease } : {}) };
  }

  private async putNew(id: string, item: object): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, ...this.options.key(id) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async updateHeld(
    id: string,
    owner: string,
    changes: Partial<J>,
    lease: Record<string, unknown>,
  ): Promise<boolean> {
    const { names, values, set, remove } = assignments(changes as Record<string, unknown>, lease);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.options.key(id),
          UpdateExpression: [
            ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
            ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
          ].join(' '),
          ConditionExpression: '#heldBy = :owner',
          ExpressionAttributeNames: { ...names, '#heldBy': OWNER },
          ExpressionAttributeValues: { ...values, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
