// Model monitoring: each scoring run back-tests the previous run's BG/NBD predictions against what
// happened since (the holdout validation of Fader, Hardie and Lee 2005, section 4, run continuously).
//
// For every customer who had a purchase at the previous cut-off and still exists now:
//   t         = (current period end - previous period end) / days per model time unit,
//   predicted = E[Y(t) | x, t_x, T] (eq. 10) with the previous run's parameters and summaries,
//   actual    = purchase occasions since = (x_now + 1) - (x_then + 1) = x_now - x_then,
// matched by customer id. Customers deleted since are skipped and counted; so are customers whose
// history before the previous cut-off has changed since (first purchase day moved, or fewer
// occasions now than then: late-loaded, corrected or erased rows), whose difference is not "what
// happened since". Prospects of the previous run had no prediction and are counted apart.
//
// Totals: predicted and actual purchases and the relative error (predicted - actual) / actual, the
// convention of holdoutCheck (negative = the model expected too few). Calibration: customers sorted
// by the previous P(alive), ties broken by the predicted purchases and then by customer id (code-unit
// order), so the split is independent of input order even with the many P(alive) = 1 customers
// without a repeat purchase; decile k holds ranks [floor(k n / 10), floor((k + 1) n / 10)).
//
// Verdict: judged only when at least minElapsedDays have passed, at least minCustomers are compared
// and at least minExpectedPurchases purchases were predicted or happened (below that, Poisson noise
// alone exceeds the thresholds: sd/mean = 1/sqrt(100) = 10% at the default of 100). Then drift when
// |total relative error| > maxTotalRelativeError, or a decile with at least minDecileCustomers
// customers and minDecileExpectedPurchases predicted purchases misses by more than
// maxDecileRelativeError (or has no purchase at all where they were predicted: often missing data).
//
// The report is a plain JSON object (numbers or null, no typed arrays), about 3 KB.

import { type BgNbdParams, bgNbdExpectedPurchasesIfAlive, bgNbdPAlive } from './bg-nbd.ts';
import { groupRows } from './group-rows.ts';
import { type CustomerSummaries, dayToIsoDate, type TimeUnit } from './prepare-transactions.ts';

export interface BackTestPrevious {
  /** BG/NBD parameters the previous run fitted; null when it had no fit (no verdict then). */
  params: BgNbdParams | null;
  /**
   * Its summaries as of its cut-off: stored, or recomputed from the event history with
   * prepareTransactions({ cutoff: previous as-of, timeUnit }) (same timeUnit and periodEnd as then).
   */
  summaries: CustomerSummaries;
}

export interface BackTestOptions {
  /** Drift when |total relative error| exceeds this (default 0.2). */
  maxTotalRelativeError?: number;
  /** Drift when a decile's |relative error| exceeds this (default 0.5) ... */
  maxDecileRelativeError?: number;
  /** ... and the decile has at least this many customers (default 50) ... */
  minDecileCustomers?: number;
  /** ... and this many predicted purchases (default 20). */
  minDecileExpectedPurchases?: number;
  /** No verdict below this many compared customers (default 100). */
  minCustomers?: number;
  /** No verdict when fewer purchases than this were both predicted and made (default 100). */
  minExpectedPurchases?: number;
  /** No verdict when fewer days than this have passed between the cut-offs (default 1). */
  minElapsedDays?: number;
}

export interface BackTestDecile {
  /** 1 = lowest previous P(alive), 10 = highest. */
  decile: number;
  customers: number;
  /** Range and mean of the previous P(alive); null for an empty decile. */
  minPAlive: number | null;
  maxPAlive: number | null;
  meanPAlive: number | null;
  predictedTotal: number;
  actualTotal: number;
  /** Mean purchases per customer since the previous cut-off, predicted and actual. */
  predictedMean: number | null;
  actualMean: number | null;
  /** Share of the decile's customers with at least one purchase since. */
  repeatShare: number | null;
  /** (predicted - actual) / actual; null when actual is 0 or without a model. */
  relativeError: number | null;
}

export interface BackTestReport {
  previousAsOf: string;
  currentAsOf: string;
  /** Model time unit of the previous run's parameters. */
  timeUnit: TimeUnit;
  elapsedDays: number;
  /** t, in model time units: from the previous period end to the current one. */
  elapsed: number;
  params: BgNbdParams | null;
  /** Customers compared (previous purchasers found again with a consistent history). */
  customers: number;
  skipped: {
    /** Previous prospects: no prediction was made for them. */
    prospects: number;
    /** In the previous summaries, not in the current ones. */
    deleted: number;
    /** History before the previous cut-off differs now (first day moved or fewer occasions). */
    historyChanged: number;
  };
  /** Customers in the current summaries that the previous ones did not have. */
  newCustomers: number;
  predictedTotal: number;
  actualTotal: number;
  /** (predicted - actual) / actual; null when actual is 0 or without a model. */
  relativeError: number | null;
  /** Mean absolute error per customer; null without customers or without a model. */
  customerMae: number | null;
  deciles: BackTestDecile[];
  /** Whether there was enough to judge; when false, drift is false and reasons say why. */
  judged: boolean;
  drift: boolean;
  reasons: string[];
  thresholds: Required<BackTestOptions>;
}

export const DEFAULT_BACK_TEST_OPTIONS: Required<BackTestOptions> = {
  maxTotalRelativeError: 0.2,
  maxDecileRelativeError: 0.5,
  minDecileCustomers: 50,
  minDecileExpectedPurchases: 20,
  minCustomers: 100,
  minExpectedPurchases: 100,
  minElapsedDays: 1,
};

/** Back-tests the previous run's predictions against the current summaries (see the header). */
export function backTest(
  previous: BackTestPrevious,
  current: CustomerSummaries,
  options: BackTestOptions = {},
): BackTestReport {
  const thresholds = { ...DEFAULT_BACK_TEST_OPTIONS, ...options };
  const prev = previous.summaries;
  const params = previous.params;
  const elapsedDays = current.cutoffDay - prev.cutoffDay;
  const elapsed = Math.max(0, (current.periodEndDay - prev.periodEndDay) / prev.unitDays);

  // 1. Match customers.
  const currentIndex = new Map<string, number>();
  for (let j = 0; j < current.size; j++) currentIndex.set(current.ids[j]!, j);
  const matched = new Int32Array(prev.size).fill(-1);
  const include = new Uint8Array(prev.size);
  let prospects = 0;
  let deleted = 0;
  let historyChanged = 0;
  let knownBefore = 0;
  for (let i = 0; i < prev.size; i++) {
    const j = currentIndex.get(prev.ids[i]!);
    if (j !== undefined) knownBefore++;
    if (Number.isNaN(prev.firstDay[i]!)) {
      prospects++;
      continue;
    }
    if (j === undefined) {
      deleted++;
      continue;
    }
    if (current.firstDay[j] !== prev.firstDay[i] || current.x[j]! < prev.x[i]!) {
      historyChanged++;
      continue;
    }
    matched[i] = j;
    include[i] = 1;
  }
  const newCustomers = current.size - knownBefore;

  // 2. Predictions: the "if alive" part once per (x, T), P(alive) per customer.
  const compared: number[] = [];
  for (let i = 0; i < prev.size; i++) if (include[i]) compared.push(i);
  const n = compared.length;
  const pAlive = new Float64Array(n);
  const predicted = new Float64Array(n);
  const actual = new Float64Array(n);
  if (params) {
    const pairs = groupRows([prev.x, prev.T], prev.size, include);
    const ifAlive = new Float64Array(pairs.count);
    for (let g = 0; g < pairs.count; g++) {
      const row = pairs.representative[g]!;
      ifAlive[g] = bgNbdExpectedPurchasesIfAlive(params, prev.x[row]!, prev.T[row]!, elapsed);
    }
    for (let k = 0; k < n; k++) {
      const i = compared[k]!;
      pAlive[k] = bgNbdPAlive(params, prev.x[i]!, prev.tx[i]!, prev.T[i]!);
      predicted[k] = pAlive[k]! * ifAlive[pairs.groupOf[i]!]!;
    }
  }
  let predictedTotal = 0;
  let actualTotal = 0;
  let absError = 0;
  for (let k = 0; k < n; k++) {
    const i = compared[k]!;
    actual[k] = current.x[matched[i]!]! - prev.x[i]!;
    predictedTotal += predicted[k]!;
    actualTotal += actual[k]!;
    absError += Math.abs(predicted[k]! - actual[k]!);
  }

  // 3. Calibration by decile of the previous P(alive).
  const order = Array.from({ length: n }, (_, k) => k);
  const ids = prev.ids;
  order.sort(
    (u, v) =>
      pAlive[u]! - pAlive[v]! ||
      predicted[u]! - predicted[v]! ||
      compareIds(ids[compared[u]!]!, ids[compared[v]!]!),
  );
  const deciles: BackTestDecile[] = [];
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    let sumP = 0;
    let sumPredicted = 0;
    let sumActual = 0;
    let repeaters = 0;
    let minP = Number.POSITIVE_INFINITY;
    let maxP = Number.NEGATIVE_INFINITY;
    for (let r = from; r < to; r++) {
      const k = order[r]!;
      sumP += pAlive[k]!;
      sumPredicted += predicted[k]!;
      sumActual += actual[k]!;
      if (actual[k]! > 0) repeaters++;
      minP = Math.min(minP, pAlive[k]!);
      maxP = Math.max(maxP, pAlive[k]!);
    }
    const m = to - from;
    const has = m > 0 && params !== null;
    deciles.push({
      decile: d + 1,
      customers: m,
      minPAlive: has ? minP : null,
      maxPAlive: has ? maxP : null,
      meanPAlive: has ? sumP / m : null,
      predictedTotal: sumPredicted,
      actualTotal: sumActual,
      predictedMean: has ? sumPredicted / m : null,
      actualMean: m > 0 ? sumActual / m : null,
      repeatShare: m > 0 ? repeaters / m : null,
      relativeError: params ? relativeError(sumPredicted, sumActual) : null,
    });
  }

  // 4. Verdict.
  const reasons: string[] = [];
  if (!params) reasons.push('no verdict: the previous run has no fitted BG/NBD model');
  if (elapsedDays < thresholds.minElapsedDays) {
    reasons.push(
      elapsedDays < 0
        ? `no verdict: the current cut-off lies ${-elapsedDays} days before the previous one`
        : `no verdict: too little time elapsed (${elapsedDays} days, minimum ${thresholds.minElapsedDays})`,
    );
  }
  if (n < thresholds.minCustomers) {
    reasons.push(`no verdict: too few customers to compare (${n}, minimum ${thresholds.minCustomers})`);
  }
  if (reasons.length === 0 && Math.max(predictedTotal, actualTotal) < thresholds.minExpectedPurchases) {
    reasons.push(
      `no verdict: too few purchases to judge (${round(predictedTotal)} predicted, ${actualTotal} actual, minimum ${thresholds.minExpectedPurchases})`,
    );
  }
  const judged = reasons.length === 0;
  if (judged) {
    const total = relativeError(predictedTotal, actualTotal);
    if (total === null) {
      reasons.push(`total: no purchase recorded where ${round(predictedTotal)} were predicted`);
    } else if (Math.abs(total) > thresholds.maxTotalRelativeError) {
      reasons.push(
        `total: ${round(predictedTotal)} purchases predicted, ${actualTotal} made (${percent(total)}, limit ±${limit(thresholds.maxTotalRelativeError)})`,
      );
    }
    for (const d of deciles) {
      if (d.customers < thresholds.minDecileCustomers) continue;
      if (d.predictedTotal < thresholds.minDecileExpectedPurchases) continue;
      if (d.relativeError === null) {
        reasons.push(
          `decile ${d.decile}: no purchase recorded where ${round(d.predictedTotal)} were predicted`,
        );
      } else if (Math.abs(d.relativeError) > thresholds.maxDecileRelativeError) {
        reasons.push(
          `decile ${d.decile} (P(alive) ${round(d.minPAlive!)}-${round(d.maxPAlive!)}): ${round(d.predictedTotal)} predicted, ${d.actualTotal} made (${percent(d.relativeError)}, limit ±${limit(thresholds.maxDecileRelativeError)})`,
        );
      }
    }
  }
  return {
    previousAsOf: dayToIsoDate(prev.cutoffDay),
    currentAsOf: dayToIsoDate(current.cutoffDay),
    timeUnit: prev.timeUnit,
    elapsedDays,
    elapsed,
    params: params ? { ...params } : null,
    customers: n,
    skipped: { prospects, deleted, historyChanged },
    newCustomers,
    predictedTotal,
    actualTotal,
    relativeError: params ? relativeError(predictedTotal, actualTotal) : null,
    customerMae: params && n > 0 ? absError / n : null,
    deciles,
    judged,
    drift: judged && reasons.length > 0,
    reasons,
    thresholds,
  };
}

function relativeError(predicted: number, actual: number): number | null {
  return actual > 0 ? (predicted - actual) / actual : null;
}

function compareIds(u: string, v: string): number {
  return u < v ? -1 : u > v ? 1 : 0;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function limit(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

function percent(v: number): string {
  return `${v > 0 ? '+' : ''}${(100 * v).toFixed(1)}%`;
}
