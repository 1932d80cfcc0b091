import { InMemoryJobLeases } from '../jobs/in-memory-job-leases';
import type { Lease } from '../jobs/lease';
import type { OpsNotifier } from '../ops/ops-notifier';
import type { PurchaseHistory, PurchaseRows } from './purchase-history';
import type { ProfileScoreEntry, ScoreWriteCounts, ScoreWriter } from './score-writer';
import { FINISHED_RUN_STATUSES, type ScoringRun, type StoredScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

export class InMemoryScoringRunStore implements ScoringRunStore {
  readonly leases = new InMemoryJobLeases<ScoringRun>({ over: FINISHED_RUN_STATUSES, counter: 'attempts' });

  /** The stored runs by id (what the tests inspect). */
  get runs(): ReadonlyMap<string, ScoringRun> {
    return new Map([...this.leases.items].map(([id, { job }]) => [id, job]));
  }
  /** Puts a run in a given state, as if some invocation had left it so (tests only). */
  put(run: ScoringRun, lease?: Lease): void {
    this.leases.items.set(run.runId, { job: structuredClone(run), ...(lease ? { lease } : {}) });
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
  async list(options: { limit: number; cursor?: string }) {
    const all = (await Promise.all([...this.leases.items.keys()].map((id) => this.get(id))))
      .filter((r): r is StoredScoringRun => r !== undefined)
      .sort((a, b) => (a.runId < b.runId ? 1 : -1));
    const from = options.cursor ? all.findIndex((r) => r.runId < options.cursor!) : 0;
    const runs = from < 0 ? [] : all.slice(from, from + options.limit);
    return {
      runs,
      ...(from >= 0 && from + options.limit < all.length ? { cursor: runs.at(-1)!.runId } : {}),
    };
  }
  async latestSucceeded(accept: (run: ScoringRun) => boolean = () => true) {
    return [...this.runs.values()]
      .sort((a, b) => (a.runId < b.runId ? 1 : -1))
      .find((r) => r.status === 'succeeded' && accept(r));
  }
}

export interface HistoryRow {
  customerId: string;
  at: string;
  amount: number;
  receivedAt?: string;
}

export class InMemoryPurchaseHistory implements PurchaseHistory {
  constructor(
    public rows: HistoryRow[],
    public profiles: string[],
  ) {}
  async read(options: { until: string; receivedBefore: string }): Promise<PurchaseRows> {
    const kept = this.rows.filter(
      (r) => Date.parse(r.at) <= Date.parse(options.until) && (r.receivedAt ?? '') < options.receivedBefore,
    );
    return {
      customerIds: kept.map((r) => r.customerId),
      at: kept.map((r) => Date.parse(r.at)),
      amount: kept.map((r) => r.amount),
      unconverted: 0,
    };
  }
  async profileIds() {
    return [...this.profiles];
  }
}

export class InMemoryScoreWriter implements ScoreWriter {
  readonly written = new Map<string, ProfileScoreEntry>();
  writes = 0;
  constructor(public existing: Set<string>) {}
  async write(entries: readonly ProfileScoreEntry[]): Promise<ScoreWriteCounts> {
    let written = 0;
    let missing = 0;
    let superseded = 0;
    for (const entry of entries) {
      this.writes++;
      if (!this.existing.has(entry.profileId)) {
        missing++;
        continue;
      }
      const before = this.written.get(entry.profileId);
      if (before && before.scores.runId > entry.scores.runId) {
        superseded++;
        continue;
      }
      this.written.set(entry.profileId, entry);
      written++;
    }
    return { written, missing, superseded };
  }
}

export class RecordingOps implements OpsNotifier {
  readonly notices: { subject: string; detail: Record<string, unknown> }[] = [];
  async notify(subject: string, detail: Record<string, unknown>) {
    this.notices.push({ subject, detail });
  }
}
