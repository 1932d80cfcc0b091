import { describe, expect, it } from 'vitest';
import {
  fitGammaGamma,
  gammaGammaConditionalExpectedSpend,
  gammaGammaCustomerLogLikelihood,
  gammaGammaLogLikelihood,
} from './gamma-gamma.ts';
import { logGamma } from './log-gamma.ts';
import { mulberry32, sampleGamma } from './random.test-helpers.ts';

describe('Gamma-Gamma', () => {
  it('the per-customer density integrates to one over m', () => {
    const params = { p: 6.25, q: 3.74, gamma: 15.44 };
    for (const x of [1, 3]) {
      let total = 0;
      const h = 0.01;
      for (let m = h / 2; m < 2000; m += h)
        total += Math.exp(gammaGammaCustomerLogLikelihood(params, x, m)) * h;
      expect(total).toBeCloseTo(1, 4);
    }
  });

  it('conditional expected spend shrinks the customer mean towards the population mean', () => {
    const params = { p: 6.25, q: 3.74, gamma: 15.44 };
    const population = (6.25 * 15.44) / 2.74;
    expect(gammaGammaConditionalExpectedSpend(params, 0, 0)).toBeCloseTo(population, 10);
    const one = gammaGammaConditionalExpectedSpend(params, 1, 100);
    const many = gammaGammaConditionalExpectedSpend(params, 20, 100);
    expect(one).toBeGreaterThan(population);
    expect(one).toBeLessThan(many);
    expect(many).toBeLessThan(100);
    // Weights (q-1)/(px+q-1) and px/(px+q-1).
    const w = 6.25 / (6.25 + 2.74);
    expect(one).toBeCloseTo((1 - w) * population + w * 100, 10);
    // Refunded to zero: only the population part is left.
    expect(gammaGammaConditionalExpectedSpend(params, 2, 0)).toBeCloseTo((6.25 * 15.44) / (12.5 + 2.74), 10);
    expect(gammaGammaConditionalExpectedSpend({ p: 1, q: 0.5, gamma: 1 }, 0, 0)).toBeNaN();
  });

  it('recovers the parameters of simulated data', () => {
    const random = mulberry32(42);
    const truth = { p: 4, q: 5, gamma: 80 };
    const n = 3000;
    const x = new Float64Array(n);
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const nu = sampleGamma(random, truth.q) / truth.gamma;
      x[i] = 1 + Math.floor(random() * 6);
      let sum = 0;
      for (let k = 0; k < x[i]!; k++) sum += sampleGamma(random, truth.p) / nu;
      m[i] = sum / x[i]!;
    }
    const fit = fitGammaGamma(x, m);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.customers).toBe(n);
    expect(fit.params.p).toBeGreaterThan(2.8); // sampling spread over seeds: about 3.3 to 4.7
    expect(fit.params.p).toBeLessThan(5.5);
    // The mean p gamma / (q - 1) is well identified even where q and gamma trade off.
    expect(fit.populationMeanSpend / 80).toBeGreaterThan(0.9);
    expect(fit.populationMeanSpend / 80).toBeLessThan(1.1);
    expect(fit.logLikelihood).toBeCloseTo(gammaGammaLogLikelihood(fit.params, x, m), 8);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, x, m));
  });

  it('refuses cleanly when there are no (or too few) repeaters', () => {
    const none = fitGammaGamma(new Float64Array([0, 0, 0]), new Float64Array([0, 0, 0]));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.reason).toMatch(/no customer with a repeat purchase/);
    const few = fitGammaGamma(new Float64Array([1, 2]), new Float64Array([10, 20]));
    expect(few.ok).toBe(false);
    if (!few.ok) expect(few.customers).toBe(2);
    // Refunded to zero: m = 0 cannot enter the likelihood.
    const zero = fitGammaGamma(new Float64Array([1, 1]), new Float64Array([0, 0]), { minCustomers: 1 });
    expect(zero.ok).toBe(false);
  });

  it('survives extreme spend values and reports a degenerate fit at a bound', () => {
    // Everyone spends exactly the same: no heterogeneity, the fit runs to the edge of the box.
    const x = new Float64Array(50).fill(3);
    const m = new Float64Array(50).fill(25);
    m[0] = 25.0001;
    const fit = fitGammaGamma(x, m);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.atBound.length).toBeGreaterThan(0);
    expect(fit.warnings.join(' ')).toMatch(/bound/);
    expect(gammaGammaConditionalExpectedSpend(fit.params, 3, 25)).toBeCloseTo(25, 2);
    // Spends over twelve orders of magnitude.
    const wide = new Float64Array(40).map((_, i) => 10 ** ((i % 13) - 4));
    const wx = new Float64Array(40).fill(2);
    const wideFit = fitGammaGamma(wx, wide);
    if (!wideFit.ok) throw new Error(wideFit.reason);
    expect(Number.isFinite(wideFit.logLikelihood)).toBe(true);
    expect(wideFit.logLikelihood).toBeGreaterThan(
      gammaGammaLogLikelihood({ p: 1, q: 2, gamma: 1 }, wx, wide),
    );
    expect(logGamma(1)).toBe(0);
  });
});
