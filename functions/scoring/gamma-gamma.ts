// Gamma-Gamma spend model: Fader, Hardie and Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", Journal of Marketing Research 42(4), 415-430; and Fader and Hardie
// (2013), "The Gamma-Gamma Model of Monetary Value" (note at brucehardie.com).
//
// A customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers.
// For a customer with x repeat transactions of mean value m (only repeat purchases count), the
// likelihood of m is
//   f(m | p, q, gamma, x) = Gamma(px+q) / (Gamma(px) Gamma(q)) gamma^q m^(px-1) x^(px) / (gamma + x m)^(px+q),
//   ln f = ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px-1) ln m + px ln x - (px+q) ln(gamma + x m).
// The conditional expected average spend is
//   E[Z | x, m] = (q-1)/(px+q-1) * p gamma/(q-1) + px/(px+q-1) * m = p (gamma + x m) / (px + q - 1),
// a weighted mean of the population mean p gamma/(q-1) (finite only when q > 1) and the customer's m.
// The model assumes spend is independent of purchase frequency; only customers with x >= 1 and
// m > 0 enter the fit.

import { logGamma } from './log-gamma.ts';
import { minimize, minimizeWithSubsample } from './minimize.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export type GammaGammaFit =
  | {
      ok: true;
      params: GammaGammaParams;
      logLikelihood: number;
      /** Customers the fit used (x >= 1, m > 0). */
      customers: number;
      evaluations: number;
      converged: boolean;
      atBound: (keyof GammaGammaParams)[];
      /** p gamma / (q - 1), NaN when q <= 1 (infinite mean). */
      populationMeanSpend: number;
      warnings: string[];
    }
  | { ok: false; reason: string; customers: number };

export interface GammaGammaFitOptions {
  /** Fewer usable customers than this and the fit is refused (default 10). */
  minCustomers?: number;
  /**
   * Above this many customers, the Nelder-Mead search runs on a systematic subsample of that size
   * and BFGS then polishes on all of them (default 50,000).
   */
  sampleCustomers?: number;
}

const PARAM_NAMES: (keyof GammaGammaParams)[] = ['p', 'q', 'gamma'];
// Log-space search box; gamma is fitted on spends rescaled to a mean of 1.
const LOWER = [Math.log(1e-6), Math.log(1e-6), Math.log(1e-6)];
const UPPER = [Math.log(1e6), Math.log(1e6), Math.log(1e6)];

/** Per-customer log-likelihood ln f(m | p, q, gamma, x). */
export function gammaGammaCustomerLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  const px = p * x;
  return (
    logGamma(px + q) -
    logGamma(px) -
    logGamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * m)
  );
}

/** Total log-likelihood over customers with x >= 1 and m > 0. */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  x: Float64Array,
  monetary: Float64Array,
): number {
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! >= 1 && monetary[i]! > 0) ll += gammaGammaCustomerLogLikelihood(params, x[i]!, monetary[i]!);
  }
  return ll;
}

export function fitGammaGamma(
  x: Float64Array,
  monetary: Float64Array,
  options: GammaGammaFitOptions = {},
): GammaGammaFit {
  const minCustomers = options.minCustomers ?? 10;
  const rows: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i]! >= 1 && monetary[i]! > 0 && Number.isFinite(monetary[i]!)) rows.push(i);
  }
  const n = rows.length;
  // Customers in (x, m) order, so the sums below, and the fit, do not depend on the input order.
  rows.sort((i, j) => x[i]! - x[j]! || monetary[i]! - monetary[j]!);
  let sumM = 0;
  for (const i of rows) sumM += monetary[i]!;
  if (n === 0) {
    return {
      ok: false,
      reason: 'no customer with a repeat purchase of positive value: nothing to fit',
      customers: 0,
    };
  }
  if (n < minCustomers) {
    return {
      ok: false,
      reason: `only ${n} customers with repeat purchases (minimum ${minCustomers})`,
      customers: n,
    };
  }
  const scale = sumM / n;
  // Precompute per customer x, ln m, ln x on the rescaled spends, and the distinct x values.
  const xs = new Float64Array(n);
  const ms = new Float64Array(n);
  const lnM = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    xs[k] = x[rows[k]!]!;
    ms[k] = monetary[rows[k]!]! / scale;
    lnM[k] = Math.log(ms[k]!);
  }
  const distinctX = Array.from(new Set(xs)).sort((u, v) => u - v);
  const xPos = new Map<number, number>();
  for (let i = 0; i < distinctX.length; i++) xPos.set(distinctX[i]!, i);
  const xIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) xIndex[k] = xPos.get(xs[k]!)!;
  const perX = new Float64Array(distinctX.length);
  // Negative log-likelihood over every stride-th customer (stride 1: all of them).
  const negLogLik = (theta: readonly number[], stride: number): number => {
    const p = Math.exp(theta[0]!);
    const q = Math.exp(theta[1]!);
    const gamma = Math.exp(theta[2]!);
    const common = -logGamma(q) + q * Math.log(gamma);
    for (let j = 0; j < distinctX.length; j++) {
      const px = p * distinctX[j]!;
      perX[j] = common + logGamma(px + q) - logGamma(px) + px * Math.log(distinctX[j]!);
    }
    let ll = 0;
    for (let k = 0; k < n; k += stride) {
      const px = p * xs[k]!;
      ll += perX[xIndex[k]!]! + (px - 1) * lnM[k]! - (px + q) * Math.log(gamma + xs[k]! * ms[k]!);
    }
    return Number.isFinite(ll) ? -ll : Number.POSITIVE_INFINITY;
  };
  // Starting points with the population mean p gamma / (q - 1) equal to the mean spend (1 after rescaling).
  const starts = [
    [1, 2, 1],
    [5, 3, 0.4],
    [2, 10, 4.5],
  ].map((s) => s.map(Math.log));
  const sampleSize = options.sampleCustomers ?? 50_000;
  const stride = Math.max(1, Math.floor(n / sampleSize));
  const full = (theta: readonly number[]): number => negLogLik(theta, 1);
  const result =
    stride === 1
      ? minimize(full, starts, { lower: LOWER, upper: UPPER })
      : minimizeWithSubsample(full, (theta) => negLogLik(theta, stride), starts, {
          lower: LOWER,
          upper: UPPER,
          gradientTolerance: 1e-6 * n,
        });
  const params: GammaGammaParams = {
    p: Math.exp(result.x[0]!),
    q: Math.exp(result.x[1]!),
    gamma: Math.exp(result.x[2]!) * scale,
  };
  const atBound = result.atBound.map((i) => PARAM_NAMES[i]!);
  const warnings: string[] = [];
  if (atBound.length > 0) warnings.push(`parameters at the bound of the search box: ${atBound.join(', ')}`);
  if (!result.converged) warnings.push('the optimiser did not meet its convergence criteria');
  const populationMeanSpend = params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : Number.NaN;
  if (!(params.q > 1))
    warnings.push('q <= 1: the population mean spend is infinite; customers without repeats fall back');
  return {
    ok: true,
    params,
    logLikelihood: gammaGammaLogLikelihood(params, x, monetary),
    customers: n,
    evaluations: result.evaluations,
    converged: result.converged,
    atBound,
    populationMeanSpend,
    warnings,
  };
}

/**
 * E[Z | x, m] = p (gamma + x m) / (px + q - 1): expected average spend per future transaction.
 * For x = 0 this is the population mean p gamma / (q - 1) (NaN when q <= 1).
 */
export function gammaGammaConditionalExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return Number.NaN;
  return (p * (gamma + x * Math.max(0, m))) / denominator;
}
