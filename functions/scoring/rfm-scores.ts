// RFM scoring (Hughes, "Strategic Database Marketing", 1994): recency, frequency and monetary
// value each scored 1-5 by quintile over the customer base as of a date, 5 being best.
//
// Tie rule (deterministic, independent of input order): a customer's percentile is the mid-rank
//   pr = (number of customers with a worse value + half the number with an equal value) / n,
// and the score is min(5, 1 + floor(5 pr)). Equal values always get equal scores; a tie group
// straddling a quintile boundary gets the score of its middle. One customer (or all equal) -> 3.

/**
 * Quintile scores 1-5 of values; higherIsBetter = false for recency in days. Rows with NaN or
 * with include[i] = 0 get score 0 and are not counted in n.
 */
export function quintileScores(
  values: Float64Array,
  higherIsBetter: boolean,
  include?: Uint8Array,
): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  let m = 0;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if ((include && include[i] === 0) || Number.isNaN(values[i]!)) continue;
    sorted[m++] = values[i]!;
  }
  const base = sorted.subarray(0, m).sort();
  for (let i = 0; i < n; i++) {
    if ((include && include[i] === 0) || Number.isNaN(values[i]!)) continue;
    const v = values[i]!;
    const below = bound(base, v, false);
    const equal = bound(base, v, true) - below;
    const worse = higherIsBetter ? below : m - below - equal;
    const pr = (worse + equal / 2) / m;
    scores[i] = Math.min(5, 1 + Math.floor(5 * pr));
  }
  return scores;
}

/** Number of elements < v (or <= v when inclusive) in an ascending array. */
function bound(sorted: Float64Array, v: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = sorted[mid]!;
    if (s < v || (inclusive && s === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface RfmInput {
  /** Day numbers; NaN for customers without a purchase (they are not scored). */
  lastDay: Float64Array;
  /** Purchase occasions, x + 1. */
  x: Float64Array;
  totalSpend: Float64Array;
}

export interface RfmScores {
  recency: Uint8Array;
  frequency: Uint8Array;
  monetary: Uint8Array;
}

export interface RfmOptions {
  /** Monetary basis: total net spend (default) or spend per occasion. */
  monetary?: 'total' | 'average';
}

/**
 * R, F and M scores as of asOfDay: recency = days since the last purchase (fewer is better),
 * frequency = number of purchase occasions, monetary = total (or average) spend.
 */
export function rfmScores(input: RfmInput, asOfDay: number, options: RfmOptions = {}): RfmScores {
  const n = input.x.length;
  const include = new Uint8Array(n);
  const recencyDays = new Float64Array(n);
  const occasions = new Float64Array(n);
  const money = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(input.lastDay[i]!)) continue;
    include[i] = 1;
    recencyDays[i] = asOfDay - input.lastDay[i]!;
    occasions[i] = input.x[i]! + 1;
    money[i] = options.monetary === 'average' ? input.totalSpend[i]! / occasions[i]! : input.totalSpend[i]!;
  }
  return {
    recency: quintileScores(recencyDays, false, include),
    frequency: quintileScores(occasions, true, include),
    monetary: quintileScores(money, true, include),
  };
}
