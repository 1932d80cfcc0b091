// Log-gamma and friends, written out so the scoring models need no numerics library.
//
// logGamma uses the Lanczos approximation with g = 671/128 and 14 coefficients as tabulated in
// Press, Teukolsky, Vetterling and Flannery, "Numerical Recipes", 3rd ed. (2007), section 6.1
// (relative error below 1e-15 for x > 0). Negative non-integer arguments go through the
// reflection formula Gamma(x) Gamma(1 - x) = pi / sin(pi x).

const LANCZOS_G = 5.2421875; // 671 / 128
// The published coefficients, written as the nearest doubles.
const LANCZOS_COEFFICIENTS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-5,
  4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5, -2.6190838401581408e-5,
  3.6899182659531625e-6,
];
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

function logGammaPositive(x: number): number {
  let y = x;
  const tmp = x + LANCZOS_G;
  const head = (x + 0.5) * Math.log(tmp) - tmp;
  let series = 0.9999999999999971; // 0.999999999999997092
  for (const c of LANCZOS_COEFFICIENTS) {
    y += 1;
    series += c / y;
  }
  return head + Math.log((SQRT_TWO_PI * series) / x);
}

/**
 * ln |Gamma(x)| for real x. Returns +Infinity at the poles (0, -1, -2, ...), NaN for NaN.
 * Use {@link gammaSign} for the sign of Gamma(x) when x < 0.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x > 0) {
    if (x === Number.POSITIVE_INFINITY) return x;
    return logGammaPositive(x);
  }
  if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  // Reflection: |Gamma(x)| = pi / (|sin(pi x)| Gamma(1 - x)).
  return Math.log(Math.PI / Math.abs(sinPi(x))) - logGammaPositive(1 - x);
}

/** Sign of Gamma(x): +1 for x > 0, alternating between the poles for x < 0, NaN at a pole. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x) || Number.isNaN(x)) return Number.NaN;
  // Gamma is negative on (-1, 0), positive on (-2, -1), ...
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** sin(pi x) with exact zeros at the integers. */
function sinPi(x: number): number {
  const r = x - 2 * Math.floor(x / 2); // in [0, 2)
  if (r === 0 || r === 1) return 0;
  return Math.sin(Math.PI * r);
}

/** ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln(e^u + e^v) without overflow or underflow (log-sum-exp of two terms). */
export function logSumExp2(u: number, v: number): number {
  if (u === Number.NEGATIVE_INFINITY) return v;
  if (v === Number.NEGATIVE_INFINITY) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}
