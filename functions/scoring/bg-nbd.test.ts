import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdCustomerLogLikelihood,
  bgNbdExpectedPurchasesIfAlive,
  bgNbdExpectedPurchasesNewCustomer,
  bgNbdLogLikelihood,
  bgNbdPAlive,
  fitBgNbd,
} from './bg-nbd.ts';
import { logBeta } from './log-gamma.ts';
import { mulberry32, sampleBeta, sampleGamma } from './random.test-helpers.ts';

const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/**
 * Independent oracle for E[Y(t) | alive, x, T]: given alive, lambda ~ Gamma(r+x, alpha+T) and
 * p ~ Beta(a, b+x), and E[Y(t) | lambda, p] = (1 - exp(-lambda p t)) / p, so
 *   E = int_0^1 (1 - (1 + p t/(alpha+T))^-(r+x)) / p  Beta(p; a, b+x) dp,
 * computed by tanh-sinh quadrature (handles the endpoint singularities of the Beta density).
 */
function oracleIfAlive(params: typeof PAPER, x: number, T: number, t: number): number {
  const k = params.r + x;
  const s = t / (params.alpha + T);
  const a = params.a;
  const b = params.b + x;
  const lnB = logBeta(a, b);
  const h = 1 / 256;
  let total = 0;
  for (let u = -6; u <= 6; u += h) {
    const v = Math.PI * Math.sinh(u);
    const p = 1 / (1 + Math.exp(-v));
    const q = 1 / (1 + Math.exp(v));
    if (p === 0 || q === 0) continue;
    const g = -Math.expm1(-k * Math.log1p(p * s)) / p;
    const logWeight =
      (a - 1) * Math.log(p) + (b - 1) * Math.log(q) - lnB + Math.log(p * q * Math.PI * Math.cosh(u));
    total += g * Math.exp(logWeight) * h;
  }
  return total;
}

describe('BG/NBD formulas', () => {
  it('grouped log-likelihood equals the sum of per-customer terms', () => {
    const x = new Float64Array([0, 0, 1, 3, 3, 10]);
    const tx = new Float64Array([0, 0, 5, 20, 20, 30.5]);
    const T = new Float64Array([10, 10, 30, 30, 30, 38.9]);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += bgNbdCustomerLogLikelihood(PAPER, x[i]!, tx[i]!, T[i]!);
    expect(bgNbdLogLikelihood(PAPER, { x, tx, T })).toBeCloseTo(sum, 9);
  });

  it('P(alive) is 1 without repeats and falls with time since the last purchase', () => {
    expect(bgNbdPAlive(PAPER, 0, 0, 30)).toBe(1);
    const recent = bgNbdPAlive(PAPER, 4, 30, 32);
    const old = bgNbdPAlive(PAPER, 4, 5, 32);
    expect(recent).toBeGreaterThan(old);
    expect(recent).toBeLessThanOrEqual(1);
    expect(old).toBeGreaterThan(0);
    // Bayes: P(alive) is the share of the "still alive at T" term in the likelihood.
    const { r, alpha, a, b } = PAPER;
    const x = 4;
    const aliveTerm = (alpha + 32) ** -(r + x);
    const deadTerm = (a / (b + x - 1)) * (alpha + 5) ** -(r + x);
    expect(old).toBeCloseTo(aliveTerm / (aliveTerm + deadTerm), 12);
    // Extreme inactivity does not overflow.
    expect(bgNbdPAlive(PAPER, 200, 1, 1e6)).toBe(0);
  });

  it('conditional expectation (eq. 10) matches numerical integration', () => {
    for (const [x, T, t] of [
      [0, 0, 39],
      [0, 38.86, 39],
      [1, 20, 39],
      [5, 30, 52],
      [0, 2, 500],
      [3, 1, 2000],
      [40, 38, 78],
      [2, 10, 0.01],
    ] as const) {
      const expected = oracleIfAlive(PAPER, x, T, t);
      expect(bgNbdExpectedPurchasesIfAlive(PAPER, x, T, t) / expected).toBeCloseTo(1, 8);
    }
    // Other parameter regions: a > 1, small b, a near 1 (removable singularity), a + b < 1.
    for (const params of [
      { r: 2, alpha: 10, a: 3.5, b: 0.4 },
      { r: 0.5, alpha: 1, a: 1, b: 2 },
      { r: 0.5, alpha: 1, a: 1.00003, b: 2 },
      { r: 0.5, alpha: 1, a: 0.3, b: 0.4 },
      { r: 0.5, alpha: 1, a: 0.3, b: 0.7 },
    ]) {
      for (const [x, T, t] of [
        [0, 0, 10],
        [0, 5, 100],
        [2, 8, 50],
      ] as const) {
        const expected = oracleIfAlive(params, x, T, t);
        expect(bgNbdExpectedPurchasesIfAlive(params, x, T, t) / expected).toBeCloseTo(1, 7);
      }
    }
  });

  it('stays finite and exact when a + b is huge (fits at the edge of the search box)', () => {
    // Reference values: mpmath (40 digits) quadrature of the Beta integral of oracleIfAlive, and for
    // the first three also mpmath.hyp2f1 of the Pfaff form; the two agree to all 17 digits (rounded to 15 here).
    // Before the fix the 1/z transformation overflowed here and gave NaN (and NaN CLV for everyone).
    const cases: [number, number, number, number, number, number, number, number][] = [
      [
        1.08623252063815, 23.4617022382676, 985106.3758409052, 146618.36166756577, 0, 25, 100,
        0.772834580587797,
      ],
      [
        1.08623252063815, 23.4617022382676, 985106.3758409052, 146618.36166756577, 2, 25, 156.5,
        1.13034260159286,
      ],
      [
        1.08623252063815, 23.4617022382676, 985106.3758409052, 146618.36166756577, 1, 0, 1000,
        1.14825803996264,
      ],
      [0.5, 2, 0.5, 1e6, 3, 1, 300, 349.960635961454],
      [0.5, 2, 0.5, 1e6, 0, 0, 50, 12.4998828162205],
      [2, 10, 1e6, 1e6, 5, 10, 100, 1.99969514017639],
      [0.243, 4.414, 40, 120, 0, 0, 156, 1.72235969434912],
      [0.243, 4.414, 0.793, 2.426, 3, 10, 156, 13.0089567364916],
    ];
    for (const [r, alpha, a, b, x, T, t, expected] of cases) {
      expect(bgNbdExpectedPurchasesIfAlive({ r, alpha, a, b }, x, T, t) / expected).toBeCloseTo(1, 9);
    }
    // Continuous across the switch between the two evaluations ((a + b) |1/z| = 8).
    const params = { r: 1.2, alpha: 5, a: 30, b: 50 };
    const T = 5; // |z| = t / 10: the switch is at t = 100
    const below = bgNbdExpectedPurchasesIfAlive(params, 2, T, 100 - 1e-9);
    const above = bgNbdExpectedPurchasesIfAlive(params, 2, T, 100 + 1e-9);
    expect(Math.abs(above / below - 1)).toBeLessThan(1e-10);
    expect(below / oracleIfAlive(params, 2, T, 100)).toBeCloseTo(1, 8);
  });

  it('E[X(t)] of a new customer is the x = 0, T = 0 case, and conditional = P(alive) x if-alive', () => {
    expect(bgNbdExpectedPurchasesNewCustomer(PAPER, 78)).toBeCloseTo(oracleIfAlive(PAPER, 0, 0, 78), 8);
    expect(bgNbdExpectedPurchasesNewCustomer(PAPER, 0)).toBe(0);
    const e = bgNbdConditionalExpectedPurchases(PAPER, 3, 12, 30, 39);
    expect(e).toBeCloseTo(bgNbdPAlive(PAPER, 3, 12, 30) * oracleIfAlive(PAPER, 3, 30, 39), 8);
    // Monotone in t.
    let previous = 0;
    for (const t of [1, 5, 20, 100, 1000]) {
      const v = bgNbdConditionalExpectedPurchases(PAPER, 2, 20, 30, t);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
  });
});

function simulate(seed: number, n: number, params: typeof PAPER) {
  const random = mulberry32(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = sampleGamma(random, params.r) / params.alpha;
    const p = sampleBeta(random, params.a, params.b);
    T[i] = 26 + Math.floor(random() * 92) / 7; // first purchases spread over 13 weeks
    let t = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T[i]!) break;
      x[i]!++;
      tx[i] = t;
      if (random() < p) break;
    }
  }
  return { x, tx, T };
}

describe('fitBgNbd', () => {
  it('recovers the parameters of simulated data', () => {
    const truth = { r: 0.5, alpha: 5, a: 0.8, b: 3 };
    const data = simulate(7, 6000, truth);
    const fit = fitBgNbd(data);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toEqual([]);
    expect(fit.params.r / truth.r).toBeGreaterThan(0.8);
    expect(fit.params.r / truth.r).toBeLessThan(1.25);
    expect(fit.params.alpha / truth.alpha).toBeGreaterThan(0.7);
    expect(fit.params.alpha / truth.alpha).toBeLessThan(1.4);
    expect(fit.params.a / truth.a).toBeGreaterThan(0.6);
    expect(fit.params.a / truth.a).toBeLessThan(1.6);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, data));
    expect(fit.logLikelihood).toBeCloseTo(bgNbdLogLikelihood(fit.params, data), 6);
  });

  it('fits in days as well as in weeks (alpha scales, the rest is unchanged)', () => {
    const weeks = simulate(11, 1500, PAPER);
    const days = { x: weeks.x, tx: weeks.tx.map((v) => v * 7), T: weeks.T.map((v) => v * 7) };
    const w = fitBgNbd(weeks);
    const d = fitBgNbd(days);
    if (!w.ok || !d.ok) throw new Error('fit failed');
    expect(d.params.r / w.params.r).toBeCloseTo(1, 3);
    expect(d.params.alpha / (7 * w.params.alpha)).toBeCloseTo(1, 3);
    expect(d.params.a / w.params.a).toBeCloseTo(1, 3);
    expect(d.params.b / w.params.b).toBeCloseTo(1, 3);
  });

  it('says so cleanly when there is nothing to fit', () => {
    const none = fitBgNbd({ x: new Float64Array(0), tx: new Float64Array(0), T: new Float64Array(0) });
    expect(none).toEqual({ ok: false, reason: 'no customers with a purchase', customers: 0 });
    // All purchases on the cut-off day: T = 0 for everyone.
    const oneDay = fitBgNbd({ x: new Float64Array(3), tx: new Float64Array(3), T: new Float64Array(3) });
    expect(oneDay.ok).toBe(false);
    // Prospects (NaN) are ignored.
    const prospects = fitBgNbd({
      x: new Float64Array([0]),
      tx: new Float64Array([Number.NaN]),
      T: new Float64Array([Number.NaN]),
    });
    expect(prospects.ok).toBe(false);
    expect(() =>
      fitBgNbd({ x: new Float64Array([1.5]), tx: new Float64Array([1]), T: new Float64Array([2]) }),
    ).toThrow(/invalid/);
  });

  it('one customer, and no repeaters at all: a fit at a bound, flagged, predicting almost nothing', () => {
    const one = fitBgNbd({ x: new Float64Array([2]), tx: new Float64Array([10]), T: new Float64Array([20]) });
    if (!one.ok) throw new Error(one.reason);
    expect(Number.isFinite(one.logLikelihood)).toBe(true);
    expect(one.warnings.join(' ')).toMatch(/only 1 customers/);
    expect(one.atBound.length).toBeGreaterThan(0);
    const noRepeat = fitBgNbd({
      x: new Float64Array(100),
      tx: new Float64Array(100),
      T: new Float64Array(100).map((_, i) => 1 + (i % 30)),
    });
    if (!noRepeat.ok) throw new Error(noRepeat.reason);
    expect(noRepeat.atBound).toContain('r');
    expect(noRepeat.warnings.join(' ')).toMatch(/no repeat purchases/);
    expect(bgNbdConditionalExpectedPurchases(noRepeat.params, 0, 0, 10, 52)).toBeLessThan(1e-3);
  });
});
