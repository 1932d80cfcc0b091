import type { JobLeases } from '../jobs/job-leases';
import type { ScoringRun, StoredScoringRun } from './scoring-run';

/**
 * Scoring runs (the jobs table in AWS). Working on a run goes through the job leases: a claim
 * counts an attempt, and every write of the worker holds only while its lease does.
 */
export interface ScoringRunStore
  extends Pick<JobLeases<ScoringRun>, 'claim' | 'checkpoint' | 'release' | 'finish'> {
  /** Stores a new run; false when a run with its id exists already (the same request or firing). */
  create(run: ScoringRun): Promise<boolean>;
  get(runId: string): Promise<StoredScoringRun | undefined>;
  /** Runs newest first, `limit` at most, after the cursor of a previous page. */
  list(options: {
    readonly limit: number;
    readonly cursor?: string;
  }): Promise<{ runs: StoredScoringRun[]; cursor?: string }>;
  /** The newest succeeded run matching `accept`, scanning back from the newest. */
  latestSucceeded(accept?: (run: ScoringRun) => boolean): Promise<ScoringRun | undefined>;
}
