import type { JobLeases } from './job-leases';
import { type Claim, claimDecision, type JobState, type Lease } from './lease';

const increment = (job: Record<string, unknown>, path: readonly string[]): Record<string, unknown> => {
  const [head, ...rest] = path as [string, ...string[]];
  const value = job[head];
  return {
    ...job,
    [head]: rest.length === 0 ? Number(value ?? 0) + 1 : increment(value as Record<string, unknown>, rest),
  };
};

/**
 * The same claims and leases in memory, by the same rule (`claimDecision`): the fake that use-case
 * tests run against; test/integration/job-leases.test.ts holds both to one behaviour.
 */
export class InMemoryJobLeases<J extends JobState> implements JobLeases<J> {
  readonly items = new Map<string, { job: J; lease?: Lease }>();

  constructor(
    private readonly options: {
      readonly over: readonly string[];
      readonly counter: string;
      readonly now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async create(id: string, job: J): Promise<boolean> {
    if (this.items.has(id)) return false;
    this.items.set(id, { job: structuredClone(job) });
    return true;
  }

  async claim(id: string, owner: string, leaseMs: number, fresh?: J): Promise<Claim<J>> {
    const lease = { owner, until: this.now() + leaseMs };
    if (fresh && !this.items.has(id)) {
      this.items.set(id, { job: structuredClone(fresh), lease });
      return { outcome: 'claimed', job: structuredClone(fresh), created: true };
    }
    const current = this.items.get(id);
    if (!current) return { outcome: 'missing' };
    const decision = claimDecision(current.job, current.lease, owner, this.now(), this.options.over);
    if (decision !== 'claim') return { outcome: decision, job: structuredClone(current.job) };
    const job = increment(current.job as unknown as Record<string, unknown>, this.options.counter.split('.'));
    this.items.set(id, { job: job as unknown as J, lease });
    return { outcome: 'claimed', job: structuredClone(job) as unknown as J, created: false };
  }

  async checkpoint(id: string, owner: string, changes: Partial<J>, leaseMs: number): Promise<boolean> {
    return this.update(id, owner, changes, { owner, until: this.now() + leaseMs });
  }

  async release(id: string, owner: string): Promise<void> {
    this.update(id, owner, {}, { owner, until: 0 });
  }

  async finish(id: string, owner: string, changes: Partial<J>): Promise<boolean> {
    return this.update(id, owner, changes, undefined);
  }

  async read(id: string) {
    const current = this.items.get(id);
    return current ? structuredClone(current) : undefined;
  }

  private update(id: string, owner: string, changes: Partial<J>, lease: Lease | undefined): boolean {
    const current = this.items.get(id);
    if (!current || current.lease?.owner !== owner) return false;
    const job = { ...current.job, ...structuredClone(changes) } as Record<string, unknown>;
    for (const [k, v] of Object.entries(job)) if (v === undefined) delete job[k];
    this.items.set(id, { job: job as unknown as J, ...(lease ? { lease } : {}) });
    return true;
  }
}
