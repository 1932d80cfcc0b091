import type { OpsNotifier } from '../ops/ops-notifier';
import type { PurchaseHistory, PurchaseRows } from './purchase-history';
import type { ProfileScoreEntry, ScoreWriteCounts, ScoreWriter } from './score-writer';
import type { ScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

export class InMemoryScoringRunStore implements ScoringRunStore {
  readonly runs = new Map<string, ScoringRun>();

  async create(run: ScoringRun) {
    if (this.runs.has(run.runId)) return false;
    this.runs.set(run.runId, structuredClone(run));
    return true;
  }
  async get(runId: string) {
    const run = this.runs.get(runId);
    return run ? structuredClone(run) : undefined;
  }
  async claim(runId: string, owner: string, now: string, until: string) {
    const run = this.runs.get(runId);
    if (!run || run.status === 'succeeded' || run.status === 'failed') return undefined;
    if (run.lease && run.lease.owner !== owner && run.lease.until > now) return undefined;
    const claimed = { ...run, attempts: run.attempts + 1, lease: { owner, until } };
    this.runs.set(runId, structuredClone(claimed));
    return claimed;
  }
  async save(run: ScoringRun) {
    this.runs.set(run.runId, structuredClone(run));
  }
  async list(options: { limit: number; cursor?: string }) {
    const all = [...this.runs.values()].sort((a, b) => (a.runId < b.runId ? 1 : -1));
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
