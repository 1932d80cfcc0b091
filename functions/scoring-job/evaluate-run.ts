import { rfmGrid, valueRiskGrid } from '../scoring/analytics-grids';
import { backTest } from '../scoring/back-test';
import {
  type CustomerSummaries,
  prepareTransactions,
  type RawTransaction,
} from '../scoring/prepare-transactions';
import type { ScoringResult } from '../scoring/score-customers';
import type { ValueRiskMatrixConfig } from '../scoring/value-risk-matrix';
import type { ScoringRun } from './scoring-run';

/** What a run stores besides its fit and counts: the analytics grids and the back-test of the previous run. */
export interface ScoringEvaluation {
  readonly rfmGrid: ReturnType<typeof rfmGrid>;
  readonly valueMatrix: ReturnType<typeof valueRiskGrid>;
  readonly backTest?: ReturnType<typeof backTest> & { readonly previousRunId: string };
  readonly drift: { readonly flagged: boolean; readonly reasons: readonly string[] };
}

/**
 * The grids behind /analytics, and the back-test of the previous run: its predictions for the time
 * since its asOf (its parameters, on its customers' history as of then, recomputed from the same
 * rows) against the purchases made since. Drift when the error passes the threshold.
 */
export const evaluateRun = (input: {
  readonly result: ScoringResult;
  readonly summaries: CustomerSummaries;
  /** The rows the run was fitted on (events up to its asOf). */
  readonly rows: Iterable<RawTransaction>;
  readonly previous: ScoringRun | undefined;
  readonly driftThreshold: number;
  readonly matrix?: ValueRiskMatrixConfig;
}): ScoringEvaluation => {
  const grids = {
    rfmGrid: rfmGrid(input.result, input.summaries),
    valueMatrix: valueRiskGrid(input.result, input.matrix ? { matrix: input.matrix } : {}),
  };
  const previous = input.previous;
  if (!previous?.fit?.bgNbd.ok)
    return {
      ...grids,
      drift: { flagged: false, reasons: ['no earlier run with a fitted model to back-test'] },
    };
  const then = prepareTransactions(input.rows, { cutoff: previous.asOf, timeUnit: previous.timeUnit });
  const report = backTest({ params: previous.fit.bgNbd.params, summaries: then }, input.summaries, {
    maxTotalRelativeError: input.driftThreshold,
  });
  return {
    ...grids,
    backTest: { previousRunId: previous.runId, ...report },
    drift: { flagged: report.drift, reasons: report.reasons },
  };
};
