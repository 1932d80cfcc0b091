import type { CustomerSummaries, RawTransaction } from '../scoring/prepare-transactions';
import type { ScoringResult } from '../scoring/score-customers';
import type { ScoringRun } from './scoring-run';

/** What a run stores besides its fit and counts: the analytics grids and the back-test of the previous run. */
export interface ScoringEvaluation {
  readonly rfmGrid: unknown;
  readonly valueMatrix: unknown;
  readonly backTest?: unknown;
  readonly drift: { readonly flagged: boolean; readonly reasons: readonly string[] };
}

export const evaluateRun = (input: {
  readonly result: ScoringResult;
  readonly summaries: CustomerSummaries;
  readonly rows: Iterable<RawTransaction>;
  readonly previous: ScoringRun | undefined;
  readonly driftThreshold: number;
}): ScoringEvaluation => {
  void input;
  return { rfmGrid: null, valueMatrix: null, drift: { flagged: false, reasons: [] } };
};
