import type { ScoringRun } from './scoring-run';

/** Scoring runs (the jobs table in AWS). */
export interface ScoringRunStore {
  /** Stores a new run; false when a run with its id exists already (the same request or firing). */
  create(run: ScoringRun): Promise<boolean>;
  get(runId: string): Promise<ScoringRun | undefined>;
  /**
   * Claims the run for `owner` until `until`, unless another owner's claim still holds or the run
   * is over; the claimed run (with attempts + 1), or undefined.
   */
  claim(runId: string, owner: string, now: string, until: string): Promise<ScoringRun | undefined>;
  /** Replaces the run record (only its claimant calls this). */
  save(run: ScoringRun): Promise<void>;
  /** Runs newest first, `limit` at most, after the cursor of a previous page. */
  list(options: {
    readonly limit: number;
    readonly cursor?: string;
  }): Promise<{ runs: ScoringRun[]; cursor?: string }>;
  /** The newest succeeded run matching `accept`, scanning back from the newest. */
  latestSucceeded(accept?: (run: ScoringRun) => boolean): Promise<ScoringRun | undefined>;
}
