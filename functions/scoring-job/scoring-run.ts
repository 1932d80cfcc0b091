import type { Lease } from '../jobs/lease';
import type { TimeUnit } from '../scoring/prepare-transactions';

export type ScoringRunStatus = 'queued' | 'running' | 'writing' | 'succeeded' | 'failed';

/** What a run was fitted on and what it found; small enough for one item (no per-customer data). */
export interface ScoringFitRecord {
  readonly bgNbd:
    | {
        readonly ok: true;
        readonly params: { r: number; alpha: number; a: number; b: number };
        readonly logLikelihood: number;
        readonly converged: boolean;
        readonly iterations?: number;
      }
    | { readonly ok: false; readonly reason: string };
  readonly gammaGamma:
    | {
        readonly ok: true;
        readonly params: { p: number; q: number; gamma: number };
        readonly logLikelihood?: number;
        readonly customers: number;
      }
    | { readonly ok: false; readonly reason: string };
  readonly spendFallback: number | null;
  readonly warnings: readonly string[];
}

/**
 * One scoring run in the jobs table. `asOf` is the instant whose data the run uses (events at or
 * before it, received before `startedAt`), so re-reading the history in a continuation sees the
 * same data and refits the same model.
 */
export interface ScoringRun {
  readonly runId: string;
  readonly status: ScoringRunStatus;
  readonly trigger: 'api' | 'schedule';
  readonly requestedAt: string;
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  /** How many invocations have worked on the run (continuations and redeliveries included). */
  readonly attempts: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly data?: {
    readonly transactions: number;
    readonly customers: number;
    readonly purchasers: number;
    readonly prospects: number;
    readonly skippedRows: number;
    readonly rowsAfterAsOf: number;
  };
  readonly fit?: ScoringFitRecord;
  readonly horizon?: { readonly periods: number; readonly unit: TimeUnit };
  readonly counts?: {
    readonly segments: Readonly<Record<string, number>>;
    readonly valueTiers: Readonly<Record<string, number>>;
    readonly churnBands: Readonly<Record<string, number>>;
    readonly cells: Readonly<Record<string, number>>;
    readonly lifecycle: Readonly<Record<string, number>>;
    readonly totalClv: number;
    readonly totalExpectedPurchases: number;
  };
  readonly rfmGrid?: unknown;
  readonly valueMatrix?: unknown;
  readonly backTest?: unknown;
  readonly drift?: { readonly flagged: boolean; readonly reasons: readonly string[] };
  readonly progress?: {
    readonly total: number;
    readonly written: number;
    /** Profiles whose item no longer exists (deleted while the run worked): not written. */
    readonly missing: number;
    /** Profiles a later run had scored already: left to it. */
    readonly superseded: number;
    /** Scores are written in profile-id order; the last id written, where a continuation resumes. */
    readonly after?: string;
  };
  readonly timingsMs?: Readonly<Record<string, number>>;
  readonly error?: string;
}

const compact = (iso: string): string => iso.replace(/[-:]/g, '').replace('.', '');

/** Run ids sort by time: `20261122T020000000Z-nightly`, `20261122T153012345Z-3fa9`. */
export const scheduledRunId = (scheduledTime: string): string =>
  `${compact(new Date(scheduledTime).toISOString())}-nightly`;

export const requestedRunId = (now: Date, random: string): string =>
  `${compact(now.toISOString())}-${random}`;

export const RUN_ID_PATTERN = /^\d{8}T\d{9}Z-[a-z0-9]{1,16}$/;

/** A run as stored: with the lease of the invocation working on it, while one does. */
export type StoredScoringRun = ScoringRun & { readonly lease?: Lease };

/** Statuses after which a run is never worked on again. */
export const FINISHED_RUN_STATUSES: readonly ScoringRunStatus[] = ['succeeded', 'failed'];
