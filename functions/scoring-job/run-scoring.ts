import { LeaseLostError } from '../jobs/lease-lost-error';
import { type TimeBudget, timeBudget } from '../jobs/time-budget';
import type { OpsNotifier } from '../ops/ops-notifier';
import {
  type CustomerSummaries,
  prepareTransactions,
  type RawTransaction,
} from '../scoring/prepare-transactions';
import { type ScoreOptions, type ScoringResult, scoreCustomers } from '../scoring/score-customers';
import { evaluateRun, type ScoringEvaluation } from './evaluate-run';
import { profileScoresOf } from './profile-scores';
import type { PurchaseHistory, PurchaseRows } from './purchase-history';
import type { ScoreWriter } from './score-writer';
import type { ScoringFitRecord, ScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

export interface ScoringJobDeps {
  readonly runs: ScoringRunStore;
  readonly history: PurchaseHistory;
  readonly scores: ScoreWriter;
  readonly ops: OpsNotifier;
  /** Hands the run to a later invocation (a message on the scoring queue). */
  readonly continueLater: (runId: string) => Promise<void>;
  readonly remainingMs: () => number;
  /** Who is working (the Lambda request id). */
  readonly owner: string;
  readonly baseCurrency: string;
  readonly options: ScoreOptions;
  /** Relative back-test error above which drift is flagged. */
  readonly driftThreshold: number;
  readonly now?: () => Date;
  /** Profiles written between checkpoints (default 2,000). */
  readonly batchSize?: number;
  /** Hand over when less time than this remains (default 120 s). */
  readonly reserveMs?: number;
  /** A run that failed this many invocations is marked failed (default 3). */
  readonly maxAttempts?: number;
}

export type ScoringStep =
  | { readonly outcome: 'finished' | 'continued'; readonly run: ScoringRun }
  /** Another invocation holds the run: try again later. */
  | { readonly outcome: 'busy'; readonly runId: string }
  /** The run does not exist, or is over already (a redelivered message). */
  | { readonly outcome: 'nothing-to-do'; readonly runId: string; readonly status?: string };

const fitRecord = (result: ScoringResult): ScoringFitRecord => ({
  bgNbd: result.bgNbd.ok
    ? {
        ok: true,
        params: { ...result.bgNbd.params },
        logLikelihood: result.bgNbd.logLikelihood,
        converged: result.bgNbd.converged,
        iterations: result.bgNbd.evaluations,
      }
    : { ok: false, reason: result.bgNbd.reason },
  gammaGamma: result.gammaGamma.ok
    ? {
        ok: true,
        params: { ...result.gammaGamma.params },
        logLikelihood: result.gammaGamma.logLikelihood,
        customers: result.gammaGamma.customers,
      }
    : { ok: false, reason: result.gammaGamma.reason },
  spendFallback: result.spendFallback,
  warnings: result.warnings,
});

/** The rows as the models read them (one reused object: prepareTransactions copies what it needs). */
function* transactionsOf(rows: PurchaseRows): Iterable<RawTransaction> {
  const t = { customerId: '', timestamp: 0, amount: 0 };
  for (let i = 0; i < rows.customerIds.length; i++) {
    t.customerId = rows.customerIds[i]!;
    t.timestamp = rows.at[i]!;
    t.amount = rows.amount[i]!;
    yield t;
  }
}

const sameFit = (a: ScoringFitRecord | undefined, b: ScoringFitRecord): boolean =>
  JSON.stringify(a?.bgNbd) === JSON.stringify(b.bgNbd) &&
  JSON.stringify(a?.gammaGamma) === JSON.stringify(b.gammaGamma);

/**
 * Works on one scoring run: claims it, reads the purchase history as of the run's `asOf`, fits and
 * scores everyone, records the fit, counts, grids and back-test, then writes every profile its
 * scores in profile-id order with checkpoints. Near the time limit it hands the rest to a later
 * invocation, which reads the same data (events received before the run started), refits the same
 * model and resumes after the last profile written. A redelivered message for a finished run does
 * nothing; every score write is idempotent.
 */
export const workOnScoringRun = async (deps: ScoringJobDeps, runId: string): Promise<ScoringStep> => {
  const now = deps.now ?? (() => new Date());
  const budget = timeBudget(deps.remainingMs, { reserveMs: deps.reserveMs ?? 120_000 });
  const claim = await deps.runs.claim(runId, deps.owner, budget.leaseMs());
  if (claim.outcome === 'missing') return { outcome: 'nothing-to-do', runId };
  if (claim.outcome === 'over') return { outcome: 'nothing-to-do', runId, status: claim.job.status };
  if (claim.outcome === 'busy') return { outcome: 'busy', runId };
  let run: ScoringRun = claim.job;
  try {
    return await work(deps, budget, run, (next) => {
      run = next;
    });
  } catch (error) {
    const failed = run.attempts >= (deps.maxAttempts ?? 3);
    const changes: Partial<ScoringRun> = {
      status: failed ? 'failed' : run.status,
      error: (error as Error).message.slice(0, 1000),
      ...(failed ? { finishedAt: now().toISOString() } : {}),
    };
    // Failed for good: finished. Else the lease goes at once, so the redelivery resumes without waiting.
    if (failed) await deps.runs.finish(runId, deps.owner, changes);
    else if (await deps.runs.checkpoint(runId, deps.owner, changes, 0))
      await deps.runs.release(runId, deps.owner);
    if (failed)
      await deps.ops.notify('Scoring run failed', { runId, error: (error as Error).message.slice(0, 500) });
    throw error;
  }
};

const work = async (
  deps: ScoringJobDeps,
  budget: TimeBudget,
  claimed: ScoringRun,
  track: (run: ScoringRun) => void,
): Promise<ScoringStep> => {
  const now = deps.now ?? (() => new Date());
  const clock = () => performance.now();
  const timings: Record<string, number> = { ...claimed.timingsMs };
  const since = (name: string, t0: number) => {
    timings[name] = (timings[name] ?? 0) + Math.round(clock() - t0);
  };
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = clock();
    const value = fn();
    since(name, t0);
    return value;
  };
  let run: ScoringRun = claimed;
  const save = async (next: ScoringRun) => {
    run = next;
    track(run);
    if (!(await deps.runs.checkpoint(run.runId, deps.owner, run, budget.leaseMs())))
      throw new LeaseLostError(run.runId);
  };
  const resuming = run.status === 'writing';
  if (!run.startedAt) await save({ ...run, status: 'running', startedAt: now().toISOString() });
  const startedAt = run.startedAt!;

  // 1. The data: every purchase and refund up to asOf, received before the run started.
  const readStarted = clock();
  const [rows, profileIds] = await Promise.all([
    deps.history.read({ until: run.asOf, receivedBefore: startedAt }),
    deps.history.profileIds(),
  ]);
  since('read', readStarted);
  const summaries: CustomerSummaries = time('prepare', () =>
    prepareTransactions(transactionsOf(rows), {
      cutoff: run.asOf,
      timeUnit: run.timeUnit,
      customerIds: profileIds,
    }),
  );

  // 2. Fit and score.
  const result = time('fitAndScore', () => scoreCustomers(summaries, deps.options));
  const fit = fitRecord(result);

  if (!resuming) {
    const previous = await deps.runs.latestSucceeded(
      (r) =>
        r.runId !== run.runId && r.timeUnit === run.timeUnit && r.asOf < run.asOf && r.fit?.bgNbd.ok === true,
    );
    const evaluation: ScoringEvaluation = time('evaluate', () =>
      evaluateRun({
        result,
        summaries,
        rows: transactionsOf(rows),
        previous,
        driftThreshold: deps.driftThreshold,
        ...(deps.options.matrix ? { matrix: deps.options.matrix } : {}),
      }),
    );
    await save({
      ...run,
      status: 'writing',
      data: {
        transactions: rows.customerIds.length,
        customers: summaries.size,
        purchasers: result.aggregates.customers - result.aggregates.prospects,
        prospects: result.aggregates.prospects,
        skippedRows: summaries.skippedRows + rows.unconverted,
        rowsAfterAsOf: summaries.rowsAfterCutoff,
      },
      fit,
      horizon: { periods: result.nextPeriods, unit: result.timeUnit },
      counts: {
        segments: result.aggregates.segments,
        valueTiers: result.aggregates.valueTiers,
        churnBands: result.aggregates.churnBands,
        cells: result.aggregates.cells,
        lifecycle: result.aggregates.lifecycle,
        totalClv: Math.round(result.aggregates.totalClv * 100) / 100,
        totalExpectedPurchases: Math.round(result.aggregates.totalExpectedPurchases * 100) / 100,
      },
      rfmGrid: evaluation.rfmGrid,
      valueMatrix: evaluation.valueMatrix,
      ...(evaluation.backTest ? { backTest: evaluation.backTest } : {}),
      drift: evaluation.drift,
      progress: { total: summaries.size, written: 0, missing: 0, superseded: 0 },
      timingsMs: timings,
    });
    if (evaluation.drift.flagged) {
      await deps.ops.notify('Scoring model drift', {
        runId: run.runId,
        asOf: run.asOf,
        reasons: evaluation.drift.reasons,
      });
    }
  } else if (!sameFit(run.fit, fit)) {
    // The same data gives the same fit; a difference means the history changed under the run
    // (profiles deleted). The run goes on with the new fit and says so.
    await save({
      ...run,
      fit: { ...fit, warnings: [...fit.warnings, 'refitted on resume with a different result'] },
    });
  }

  // 3. Scores onto profiles, in profile-id order, with checkpoints.
  const order = Array.from({ length: summaries.size }, (_, i) => i);
  const ids = summaries.ids;
  order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const after = run.progress?.after;
  let k = 0;
  if (after !== undefined) while (k < order.length && ids[order[k]!]! <= after) k++;
  const batchSize = deps.batchSize ?? 2000;
  const scoredAt = now().toISOString();
  let progress = run.progress ?? { total: summaries.size, written: 0, missing: 0, superseded: 0 };
  while (k < order.length) {
    if (budget.nearlyOut()) {
      await save({ ...run, progress, timingsMs: timings });
      await deps.runs.release(run.runId, deps.owner);
      await deps.continueLater(run.runId);
      return { outcome: 'continued', run };
    }
    const batch = order.slice(k, k + batchSize);
    const writeStarted = clock();
    const counts = await deps.scores.write(
      batch.map((i) => ({
        profileId: ids[i]!,
        ...profileScoresOf(result, summaries, i, { runId: run.runId, scoredAt, currency: deps.baseCurrency }),
      })),
    );
    since('write', writeStarted);
    k += batch.length;
    progress = {
      total: summaries.size,
      written: progress.written + counts.written,
      missing: progress.missing + counts.missing,
      superseded: progress.superseded + counts.superseded,
      after: ids[batch[batch.length - 1]!]!,
    };
    await save({ ...run, progress, timingsMs: timings });
  }

  const finishedAt = now();
  run = {
    ...run,
    status: 'succeeded',
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - Date.parse(startedAt),
    progress,
    timingsMs: timings,
  };
  track(run);
  if (!(await deps.runs.finish(run.runId, deps.owner, run))) throw new LeaseLostError(run.runId);
  await deps.ops.notify('Scoring run finished', {
    runId: run.runId,
    asOf: run.asOf,
    timeUnit: run.timeUnit,
    customers: run.data?.customers,
    written: progress.written,
    valueTiers: run.counts?.valueTiers,
    lifecycle: run.counts?.lifecycle,
    drift: run.drift?.flagged ?? false,
    durationMs: finishedAt.getTime() - Date.parse(startedAt),
  });
  return { outcome: 'finished', run };
};
