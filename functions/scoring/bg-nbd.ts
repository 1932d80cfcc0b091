// BG/NBD model: Fader, Hardie and Lee (2005), "'Counting Your Customers' the Easy Way: An
// Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.
//
// While active, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after
// every purchase she drops out with probability p ~ Beta(a, b). For a customer with x repeat
// purchases, the last at t_x, observed until T, the likelihood (eq. 6) is
//   L = B(a, b+x)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
//     + [x > 0] B(a+1, b+x-1)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x)).
// In logs, with B(a+1, b+x-1)/B(a, b+x) = a / (b+x-1):
//   ln L = ln Gamma(r+x) - ln Gamma(r) + r ln alpha
//        + ln Gamma(a+b) + ln Gamma(b+x) - ln Gamma(b) - ln Gamma(a+b+x)
//        + logsumexp( -(r+x) ln(alpha+T),  [x > 0] (ln a - ln(b+x-1) - (r+x) ln(alpha+t_x)) ).
// The fit maximises the sum over customers grouped by (x, t_x, T), in log-parameter space.
//
// P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))       (eq. 11 / appendix)
// E[Y(t) | x, t_x, T] = P(alive) * (a+b+x-1)/(a-1)
//                       * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]  (eq. 10)
// By Pfaff's transformation 2F1(A, B; C; z) = (1-z)^-A 2F1(A, C-B; C; z/(z-1)) the power cancels:
//   ((alpha+T)/(alpha+T+t))^(r+x) 2F1(...) = 2F1(r+x, a-1; a+b+x-1; -t/(alpha+T)),
// which hyp2f1 evaluates through its 1/z transformation when t is large.
// E[X(t)] for a randomly chosen new customer (eq. 9) is the case x = 0, T = 0.

import { groupRows } from './group-rows.ts';
import { hyp2f1 } from './hyp2f1.ts';
import { logGamma, logSumExp2 } from './log-gamma.ts';
import { type MinimizeResult, minimize, minimizeWithSubsample } from './minimize.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** (x, t_x, T) columns; rows with NaN (prospects) are ignored. */
export interface BgNbdData {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

export type BgNbdFit =
  | {
      ok: true;
      params: BgNbdParams;
      logLikelihood: number;
      customers: number;
      /** Distinct (x, t_x, T) triples the likelihood was computed on. */
      groups: number;
      evaluations: number;
      converged: boolean;
      /** Parameters that ended at a bound of the search box. */
      atBound: (keyof BgNbdParams)[];
      warnings: string[];
    }
  | { ok: false; reason: string; customers: number };

const PARAM_NAMES: (keyof BgNbdParams)[] = ['r', 'alpha', 'a', 'b'];
// Search box in log space; alpha is fitted on times rescaled to a mean T of 1.
const LOWER = [Math.log(1e-6), Math.log(1e-6), Math.log(1e-6), Math.log(1e-6)];
const UPPER = [Math.log(1e6), Math.log(1e6), Math.log(1e6), Math.log(1e6)];

/** Prepared, grouped data for repeated likelihood evaluations. */
interface GroupedBgNbd {
  groups: number;
  /** Distinct x values and, per group, the index into them. */
  xs: Float64Array;
  xIndex: Int32Array;
  /** Distinct time values (t_x and T) and, per group, indices into them. */
  times: Float64Array;
  txIndex: Int32Array;
  TIndex: Int32Array;
  weight: Float64Array;
  customers: number;
}

function groupBgNbd(data: BgNbdData, timeScale: number): GroupedBgNbd {
  const n = data.x.length;
  const g = groupRows([data.x, data.tx, data.T], n);
  const xs = distinct(g.representative, data.x);
  const times = distinct(g.representative, data.tx, data.T);
  const xPos = new Map<number, number>();
  for (let i = 0; i < xs.length; i++) xPos.set(xs[i]!, i);
  const tPos = new Map<number, number>();
  for (let i = 0; i < times.length; i++) tPos.set(times[i]!, i);
  const xIndex = new Int32Array(g.count);
  const txIndex = new Int32Array(g.count);
  const TIndex = new Int32Array(g.count);
  for (let k = 0; k < g.count; k++) {
    const row = g.representative[k]!;
    xIndex[k] = xPos.get(data.x[row]!)!;
    txIndex[k] = tPos.get(data.tx[row]!)!;
    TIndex[k] = tPos.get(data.T[row]!)!;
  }
  let customers = 0;
  for (let k = 0; k < g.count; k++) customers += g.weight[k]!;
  return {
    groups: g.count,
    xs,
    xIndex,
    times: times.map((t) => t / timeScale),
    txIndex,
    TIndex,
    weight: g.weight,
    customers,
  };
}

function distinct(rows: Int32Array, ...columns: Float64Array[]): Float64Array {
  const values: number[] = [];
  for (const col of columns) for (const row of rows) values.push(col[row]!);
  const sorted = Float64Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.slice(0, n);
}

/** Sum of the log-likelihood over grouped data; scratch arrays are reused across calls. */
function groupedLogLikelihood(
  p: BgNbdParams,
  d: GroupedBgNbd,
  scratch: { perX: Float64Array; dropX: Float64Array; lnTime: Float64Array },
): number {
  const { r, alpha, a, b } = p;
  const { perX, dropX, lnTime } = scratch;
  const common = -logGamma(r) + r * Math.log(alpha) + logGamma(a + b) - logGamma(b);
  for (let k = 0; k < d.xs.length; k++) {
    const x = d.xs[k]!;
    perX[k] = common + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    dropX[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
  }
  for (let k = 0; k < d.times.length; k++) lnTime[k] = Math.log(alpha + d.times[k]!);
  let ll = 0;
  for (let g = 0; g < d.groups; g++) {
    const k = d.xIndex[g]!;
    const x = d.xs[k]!;
    const alive = -(r + x) * lnTime[d.TIndex[g]!]!;
    const term = x > 0 ? logSumExp2(alive, dropX[k]! - (r + x) * lnTime[d.txIndex[g]!]!) : alive;
    ll += d.weight[g]! * (perX[k]! + term);
  }
  return ll;
}

function rescaleTime(d: GroupedBgNbd, timeScale: number): GroupedBgNbd {
  return { ...d, times: d.times.map((t) => t / timeScale) };
}

/**
 * Every k-th customer, with the customers in group order, i.e. sorted by (x, t_x, T): a systematic
 * sample spread evenly over the data, and the same whatever order the customers came in.
 */
function systematicSample(d: GroupedBgNbd, k: number): GroupedBgNbd {
  const keep: number[] = [];
  const weights: number[] = [];
  let before = 0;
  for (let g = 0; g < d.groups; g++) {
    const after = before + d.weight[g]!;
    // Customers at positions before .. after - 1 whose position is a multiple of k.
    const picked = Math.ceil(after / k) - Math.ceil(before / k);
    if (picked > 0) {
      keep.push(g);
      weights.push(picked);
    }
    before = after;
  }
  const pick = (index: Int32Array): Int32Array => Int32Array.from(keep, (g) => index[g]!);
  return {
    groups: keep.length,
    xs: d.xs,
    xIndex: pick(d.xIndex),
    times: d.times,
    txIndex: pick(d.txIndex),
    TIndex: pick(d.TIndex),
    weight: Float64Array.from(weights),
    customers: weights.reduce((a, b) => a + b, 0),
  };
}

function makeScratch(d: GroupedBgNbd) {
  return {
    perX: new Float64Array(d.xs.length),
    dropX: new Float64Array(d.xs.length),
    lnTime: new Float64Array(d.times.length),
  };
}

/** Total BG/NBD log-likelihood of the data at the given parameters. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  const d = groupBgNbd(data, 1);
  return groupedLogLikelihood(params, d, makeScratch(d));
}

/** Per-customer log-likelihood (eq. 6 in logs). */
export function bgNbdCustomerLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const head =
    logGamma(r + x) -
    logGamma(r) +
    r * Math.log(alpha) +
    logGamma(a + b) +
    logGamma(b + x) -
    logGamma(b) -
    logGamma(a + b + x);
  const alive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return head + alive;
  return head + logSumExp2(alive, Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx));
}

export interface FitOptions {
  /** Extra starting points (natural scale) besides the built-in ones. */
  starts?: BgNbdParams[];
  /**
   * Above this many distinct (x, t_x, T) groups, the Nelder-Mead search runs on a systematic
   * subsample of about sampleCustomers customers and BFGS then polishes on all data (default 20,000
   * groups, 50,000 customers).
   */
  maxGroupsForFullSearch?: number;
  sampleCustomers?: number;
}

/** Maximum-likelihood fit of the BG/NBD model. */
export function fitBgNbd(data: BgNbdData, options: FitOptions = {}): BgNbdFit {
  let sumT = 0;
  let sumX = 0;
  let customers = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]!;
    const tx = data.tx[i]!;
    const T = data.T[i]!;
    if (Number.isNaN(x) || Number.isNaN(tx) || Number.isNaN(T)) continue;
    if (!(x >= 0 && tx >= 0 && T >= tx) || !Number.isInteger(x)) {
      throw new Error(`invalid BG/NBD data at row ${i}: x=${x}, t_x=${tx}, T=${T}`);
    }
    customers++;
    sumT += T;
    sumX += x;
  }
  if (customers === 0) return { ok: false, reason: 'no customers with a purchase', customers };
  if (sumT === 0) {
    return {
      ok: false,
      reason: 'every customer made the first purchase at the end of the period (T = 0): nothing to fit',
      customers,
    };
  }
  // Rescale time to a mean T of 1 so that one search box suits days and weeks alike. Every sum from
  // here on runs over the groups, which come sorted by (x, t_x, T): the fit does not depend on the
  // order of the customers, bit for bit.
  const unscaled = groupBgNbd(data, 1);
  let weightedT = 0;
  for (let k = 0; k < unscaled.groups; k++)
    weightedT += unscaled.weight[k]! * unscaled.times[unscaled.TIndex[k]!]!;
  const scale = weightedT / customers;
  const grouped = rescaleTime(unscaled, scale);
  const scratch = makeScratch(grouped);
  const objective = (theta: readonly number[]): number => {
    const ll = groupedLogLikelihood(
      { r: Math.exp(theta[0]!), alpha: Math.exp(theta[1]!), a: Math.exp(theta[2]!), b: Math.exp(theta[3]!) },
      grouped,
      scratch,
    );
    return Number.isFinite(ll) ? -ll : Number.POSITIVE_INFINITY;
  };
  // Starting points: purchase rate matched to the data (r / alpha = mean x / mean T).
  const rate = Math.max(sumX, 1) / customers; // per unit of rescaled time
  const starts: number[][] = [
    [1, 1 / rate, 1, 1],
    [0.3, 0.3 / rate, 0.8, 2.5],
    [3, 3 / rate, 2, 8],
  ].map((p) => p.map(Math.log));
  for (const s of options.starts ?? []) starts.push([s.r, s.alpha / scale, s.a, s.b].map(Math.log));
  let result: MinimizeResult;
  if (grouped.groups <= (options.maxGroupsForFullSearch ?? 20_000)) {
    result = minimize(objective, starts, { lower: LOWER, upper: UPPER });
  } else {
    const k = Math.max(1, Math.floor(customers / (options.sampleCustomers ?? 50_000)));
    const sampled = systematicSample(grouped, k);
    const sampleScratch = makeScratch(sampled);
    const sampleObjective = (theta: readonly number[]): number => {
      const ll = groupedLogLikelihood(
        {
          r: Math.exp(theta[0]!),
          alpha: Math.exp(theta[1]!),
          a: Math.exp(theta[2]!),
          b: Math.exp(theta[3]!),
        },
        sampled,
        sampleScratch,
      );
      return Number.isFinite(ll) ? -ll : Number.POSITIVE_INFINITY;
    };
    result = minimizeWithSubsample(objective, sampleObjective, starts, {
      lower: LOWER,
      upper: UPPER,
      gradientTolerance: 1e-6 * customers,
    });
  }
  const params: BgNbdParams = {
    r: Math.exp(result.x[0]!),
    alpha: Math.exp(result.x[1]!) * scale,
    a: Math.exp(result.x[2]!),
    b: Math.exp(result.x[3]!),
  };
  const logLikelihood = groupedLogLikelihood(params, unscaled, makeScratch(unscaled));
  const atBound = result.atBound.map((i) => PARAM_NAMES[i]!);
  const warnings: string[] = [];
  if (sumX === 0) {
    warnings.push(
      'no repeat purchases: the fit can only say that repeat purchasing is close to zero; the drop-out parameters a and b are not identified',
    );
  }
  if (customers < 30) warnings.push(`only ${customers} customers: the estimates mean little`);
  if (atBound.length > 0) warnings.push(`parameters at the bound of the search box: ${atBound.join(', ')}`);
  if (!result.converged) warnings.push('the optimiser did not meet its convergence criteria');
  return {
    ok: true,
    params,
    logLikelihood,
    customers,
    groups: grouped.groups,
    evaluations: result.evaluations,
    converged: result.converged,
    atBound,
    warnings,
  };
}

/** P(alive | x, t_x, T). Always 1 when x = 0 (a property of the BG/NBD model). */
export function bgNbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

const SINGULAR_GAP = 1e-4;
const SINGULAR_STEP = 1e-3;

/**
 * E[Y(t) | alive at T, x]: expected purchases in (T, T + t] of a customer still alive at T,
 * (a+b+x-1)/(a-1) [1 - 2F1(r+x, a-1; a+b+x-1; -t/(alpha+T))]. The expression has removable
 * singularities at a = 1 and at a+b+x-1 in {0, -1, ...}; near them it is interpolated
 * (four-point Lagrange in a, resp. b, with step 1e-3).
 */
export function bgNbdExpectedPurchasesIfAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  if (t <= 0) return 0;
  const { a, b } = params;
  if (Math.abs(a - 1) < SINGULAR_GAP) {
    return lagrange4((a - 1) / SINGULAR_STEP, (k) =>
      bgNbdExpectedPurchasesIfAlive({ ...params, a: 1 + k * SINGULAR_STEP }, x, T, t),
    );
  }
  const c = a + b + x - 1;
  if (c < 0.5 && Math.abs(c - Math.round(c)) < SINGULAR_GAP) {
    const base = Math.round(c) - a - x + 1; // the b at which c is an integer
    return lagrange4((b - base) / SINGULAR_STEP, (k) =>
      bgNbdExpectedPurchasesIfAlive({ ...params, b: base + k * SINGULAR_STEP }, x, T, t),
    );
  }
  const { r, alpha } = params;
  const z = -t / (alpha + T);
  // hyp2f1 evaluates z < -2 through the 1/z transformation, whose inner series have terms of order
  // exp(|1/z| (a + b)): with a + b in the thousands (fits at the edge of the search box, e.g. little
  // drop-out information) they overflow and the result is NaN. There the Pfaff form of eq. 10,
  //   ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t)),
  // is summed directly: every term is positive and, with c large, they fall off fast.
  const f =
    z < -2 && (a + b) / -z > PFAFF_GATE
      ? ((alpha + T) / (alpha + T + t)) ** (r + x) * positiveSeries2F1(r + x, b + x, c, t / (alpha + T + t))
      : hyp2f1(r + x, a - 1, c, z);
  return (c / (a - 1)) * (1 - f);
}

/** Above this (a + b) |1/z| the 1/z transformation loses more than about 3 digits (e^8 ~ 3000). */
const PFAFF_GATE = 8;
const SERIES_MAX_TERMS = 1_000_000;

/**
 * 2F1(A, B; C; w) = sum_n (A)_n (B)_n / ((C)_n n!) w^n for A, B, C > 0 and 0 <= w < 1 (all terms
 * positive). Stops on the rigorous tail bound: past term n the ratio of consecutive terms is at most
 * rho = w max(1, (m+A)/(m+1)) max(1, (m+B)/(m+C)), m = n + 1 (each factor is monotone in m), so the
 * rest is at most term * rho / (1 - rho). NaN if that is not reached (overflow or SERIES_MAX_TERMS).
 */
function positiveSeries2F1(A: number, B: number, C: number, w: number): number {
  let sum = 1;
  let term = 1;
  for (let n = 0; n < SERIES_MAX_TERMS; n++) {
    term *= ((n + A) / (n + 1)) * ((n + B) / (n + C)) * w;
    sum += term;
    if (!Number.isFinite(sum)) return Number.NaN;
    const m = n + 1;
    const rho = w * Math.max(1, (m + A) / (m + 1)) * Math.max(1, (m + B) / (m + C));
    if (rho < 1 && (term * rho) / (1 - rho) <= 1e-16 * sum) return sum;
  }
  return Number.NaN;
}

/** Four-point Lagrange interpolation at u from the nodes -2, -1, 1, 2. */
function lagrange4(u: number, value: (node: number) => number): number {
  const nodes = [-2, -1, 1, 2];
  let total = 0;
  for (const i of nodes) {
    let weight = 1;
    for (const j of nodes) if (j !== i) weight *= (u - j) / (i - j);
    total += weight * value(i);
  }
  return total;
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units (eq. 10). */
export function bgNbdConditionalExpectedPurchases(
  params: BgNbdParams,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  return bgNbdPAlive(params, x, tx, T) * bgNbdExpectedPurchasesIfAlive(params, x, T, t);
}

/** E[X(t)]: expected repeat purchases in (0, t] of a randomly chosen new customer (eq. 9). */
export function bgNbdExpectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  return bgNbdExpectedPurchasesIfAlive(params, 0, 0, t);
}
