import { z } from 'zod';
import type { TimeUnit } from '../scoring/prepare-transactions';
import { requestedRunId, type ScoringRun, type StoredScoringRun, scheduledRunId } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

/** Clocks differ a little: an asOf up to this far ahead of the server's clock counts as now. */
export const AS_OF_SKEW_MS = 5 * 60_000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The body of POST /scoring/runs. */
export const scoringRunRequestSchema = z
  .strictObject({
    asOf: z
      .union([z.iso.date(), z.iso.datetime({ offset: true })], {
        message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone',
      })
      .optional()
      .describe(
        'Only data up to this instant is used; a date means the end of that day (UTC). Default: now.',
      ),
    timeUnit: z
      .enum(['day', 'week'])
      .optional()
      .describe('Time unit of the models. Default: the scoringTimeUnit setting.'),
  })
  .meta({ id: 'ScoringRunRequest' });
export type ScoringRunRequest = z.infer<typeof scoringRunRequestSchema>;

/** The instant an asOf stands for, in UTC: a date is the last millisecond of that day. */
export const asOfInstant = (asOf: string): string =>
  DATE_ONLY.test(asOf) ? `${asOf}T23:59:59.999Z` : new Date(asOf).toISOString();

export class AsOfInFutureError extends Error {
  constructor() {
    super('asOf is in the future: a run can only use data that exists');
    this.name = 'AsOfInFutureError';
  }
}

/** Another run is queued or working: scoring reads and rewrites every profile, one run at a time. */
export class RunInProgressError extends Error {
  constructor(readonly runId: string) {
    super(`scoring run ${runId} is in progress: wait for it to finish (GET /scoring/runs/${runId})`);
    this.name = 'RunInProgressError';
  }
}

/**
 * How long a queued or working run without an active claim still counts as in progress (a run whose
 * invocation died leaves its status behind; its message is redelivered well within this time).
 */
export const IN_PROGRESS_GRACE_MS = 30 * 60_000;

const inProgress = (run: StoredScoringRun, now: Date): boolean =>
  (run.status === 'queued' || run.status === 'running' || run.status === 'writing') &&
  ((run.lease !== undefined && run.lease.until > now.getTime()) ||
    Date.parse(run.requestedAt) > now.getTime() - IN_PROGRESS_GRACE_MS);

export interface RequestDeps {
  readonly runs: ScoringRunStore;
  readonly enqueue: (runId: string) => Promise<void>;
  readonly now?: () => Date;
  readonly random?: () => string;
}

/**
 * A run requested through the API: recorded as queued, then handed to the scoring function; refused
 * while another run is in progress.
 */
export const requestScoringRun = async (
  deps: RequestDeps,
  request: ScoringRunRequest,
  defaults: { readonly timeUnit: TimeUnit },
): Promise<ScoringRun> => {
  const now = (deps.now ?? (() => new Date()))();
  const asOf = request.asOf ? asOfInstant(request.asOf) : now.toISOString();
  const inFuture =
    request.asOf !== undefined &&
    (DATE_ONLY.test(request.asOf)
      ? request.asOf > now.toISOString().slice(0, 10)
      : Date.parse(asOf) > now.getTime() + AS_OF_SKEW_MS);
  if (inFuture) throw new AsOfInFutureError();
  const { runs: recent } = await deps.runs.list({ limit: 10 });
  const busy = recent.find((run) => inProgress(run, now));
  if (busy) throw new RunInProgressError(busy.runId);
  const random = (deps.random ?? (() => Math.random().toString(36).slice(2, 8)))();
  const run: ScoringRun = {
    runId: requestedRunId(now, random),
    status: 'queued',
    trigger: 'api',
    requestedAt: now.toISOString(),
    asOf: Date.parse(asOf) > now.getTime() ? now.toISOString() : asOf,
    timeUnit: request.timeUnit ?? defaults.timeUnit,
    attempts: 0,
  };
  await deps.runs.create(run);
  await deps.enqueue(run.runId);
  return run;
};

/**
 * A firing of the nightly schedule: the run is named by the scheduled time, so a retried firing
 * finds its run instead of starting another; it is (re)queued while it has not started.
 */
export const requestScheduledRun = async (
  deps: RequestDeps,
  scheduledTime: string,
  timeUnit: TimeUnit,
): Promise<ScoringRun> => {
  const now = (deps.now ?? (() => new Date()))();
  const run: ScoringRun = {
    runId: scheduledRunId(scheduledTime),
    status: 'queued',
    trigger: 'schedule',
    requestedAt: now.toISOString(),
    asOf: new Date(scheduledTime).toISOString(),
    timeUnit,
    attempts: 0,
  };
  const created = await deps.runs.create(run);
  const stored = created ? run : ((await deps.runs.get(run.runId)) ?? run);
  if (stored.status === 'queued') await deps.enqueue(stored.runId);
  return stored;
};
