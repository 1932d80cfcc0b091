// Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z < 1.
//
// The series sum_n (a)_n (b)_n / ((c)_n n!) z^n converges for |z| < 1 but slowly near |z| = 1,
// so the argument is first mapped into a region where it converges fast
// (Abramowitz and Stegun, "Handbook of Mathematical Functions", 1964, section 15.3):
//   0 <= z <= 0.75  direct series;
//  -2 <= z < 0      Pfaff transformation (15.3.4)
//                     2F1(a, b; c; z) = (1 - z)^-a 2F1(a, c - b; c; z / (z - 1)), z / (z - 1) in (0, 2/3];
//        z < -2     the 1/z transformation (15.3.7)
//                     2F1(a, b; c; z) = G(c) G(b - a) / (G(b) G(c - a)) (-z)^-a 2F1(a, 1 - c + a; 1 - b + a; 1/z)
//                                     + G(c) G(a - b) / (G(a) G(c - b)) (-z)^-b 2F1(b, 1 - c + b; 1 - a + b; 1/z),
//                     |1/z| < 1/2;
//   0.75 < z < 1    Pfaff to w = z / (z - 1) < -3, then the 1/z transformation (|1/w| < 1/3).
// The 1/z transformation is degenerate when b - a is an integer (the two terms have poles that
// cancel; A&S 15.3.13-14 give the logarithmic limit). There the function, which is analytic in b,
// is interpolated (six-point Lagrange in b - a on k +- h, 2h, 3h, h = 2e-3) when |b - a - k| < 1e-4.
// The series stops on a rigorous tail bound (see series()).

import { gammaSign, logGamma } from './log-gamma.ts';

const EPS = 1e-16;
const MAX_TERMS = 100_000;
const DEGENERACY_GAP = 1e-4;
const DEGENERACY_STEP = 2e-3;

/**
 * 2F1(a, b; c; z) for real a, b, c and real z < 1. Returns NaN where it is undefined
 * (c a non-positive integer without a terminating series, or z >= 1 when the series does not terminate).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  if (a === 0 || b === 0) return 1;
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) {
    // Terminating series: a polynomial, valid for every z.
    return series(a, b, c, z);
  }
  if (isNonPositiveInteger(c)) return Number.NaN;
  if (!(z < 1)) return Number.NaN;
  if (z <= 0.75 && z >= -0.5) return series(a, b, c, z);
  if (z < 0 && z >= -2) {
    // Pfaff: w in (0, 2/3].
    return (1 - z) ** -a * series(a, c - b, c, z / (z - 1));
  }
  if (z < 0) return reciprocal(a, b, c, z);
  // 0.75 < z < 1: Pfaff to w < -3, then 1/w.
  return (1 - z) ** -a * reciprocal(a, c - b, c, z / (z - 1));
}

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/**
 * Partial sums of the hypergeometric series. Once n is past every sign change of the
 * Pochhammer factors, the term ratio t(m+1)/t(m) = z (m+a)/(m+1) (m+b)/(m+c) is bounded for all
 * m >= n by rho = |z| max(1, (n+a)/(n+1)) max(1, (n+b)/(n+c)) (each factor is monotone in m), so
 * when rho < 1 the remaining tail is at most |t(n)| rho / (1 - rho).
 */
function series(a: number, b: number, c: number, z: number): number {
  let sum = 1;
  let term = 1;
  let compensation = 0; // Kahan summation: alternating series near z = -1/2 lose less.
  const settled = Math.max(0, -a, -b, -c) + 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (((a + n) / (n + 1)) * (b + n) * z) / (c + n);
    if (term === 0) return sum + compensation;
    const y = term - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
    if (n + 1 >= settled) {
      const m = n + 1;
      const rho = Math.abs(z) * Math.max(1, (m + a) / (m + 1)) * Math.max(1, (m + b) / (m + c));
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= EPS * Math.abs(sum)) return sum;
    }
    if (!Number.isFinite(sum)) return sum;
  }
  return sum;
}

/** The 1/z transformation for z < -1, with interpolation across the degenerate b - a in Z. */
function reciprocal(a: number, b: number, c: number, z: number): number {
  const d = b - a;
  const k = Math.round(d);
  if (Math.abs(d - k) >= DEGENERACY_GAP) return reciprocalGeneric(a, b, c, z);
  // Six-point Lagrange interpolation in b - a on the nodes k +- h, k +- 2h, k +- 3h:
  // interpolation error O(h^6), cancellation error about machine epsilon / h.
  const h = DEGENERACY_STEP;
  const u = (d - k) / h; // in (-0.05, 0.05)
  const nodes = [-3, -2, -1, 1, 2, 3];
  let total = 0;
  for (const i of nodes) {
    let weight = 1;
    for (const j of nodes) if (j !== i) weight *= (u - j) / (i - j);
    total += weight * reciprocalGeneric(a, a + k + i * h, c, z);
  }
  return total;
}

function reciprocalGeneric(a: number, b: number, c: number, z: number): number {
  const u = 1 / z;
  const lnMinusZ = Math.log(-z);
  let total = 0;
  const first = gammaRatio(c, b - a, b, c - a);
  if (first.sign !== 0) {
    total += first.sign * Math.exp(first.log - a * lnMinusZ) * hyp2f1(a, 1 - c + a, 1 - b + a, u);
  }
  const second = gammaRatio(c, a - b, a, c - b);
  if (second.sign !== 0) {
    total += second.sign * Math.exp(second.log - b * lnMinusZ) * hyp2f1(b, 1 - c + b, 1 - a + b, u);
  }
  return total;
}

/** Gamma(p) Gamma(q) / (Gamma(r) Gamma(s)) as sign and log of the absolute value; sign 0 when a denominator has a pole. */
function gammaRatio(p: number, q: number, r: number, s: number): { sign: number; log: number } {
  if (isNonPositiveInteger(r) || isNonPositiveInteger(s)) return { sign: 0, log: Number.NEGATIVE_INFINITY };
  const sign = gammaSign(p) * gammaSign(q) * gammaSign(r) * gammaSign(s);
  return { sign, log: logGamma(p) + logGamma(q) - logGamma(r) - logGamma(s) };
}
