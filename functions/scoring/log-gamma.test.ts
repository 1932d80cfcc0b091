import { describe, expect, it } from 'vitest';
import { gammaSign, logBeta, logGamma, logSumExp2 } from './log-gamma.ts';

describe('logGamma', () => {
  it('matches factorials and known values', () => {
    let factorial = 1;
    for (let n = 1; n <= 30; n++) {
      factorial *= n;
      expect(logGamma(n + 1)).toBeCloseTo(Math.log(factorial), 12);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 10);
    // Gamma(x) ~ 1/x - Euler gamma near 0.
    expect(logGamma(1e-8) + Math.log(1e-8)).toBeCloseTo(-0.5772156649e-8, 14);
  });

  it('uses the reflection formula for negative arguments, with the sign of Gamma', () => {
    // Gamma(-0.5) = -2 sqrt(pi), Gamma(-1.5) = 4 sqrt(pi) / 3.
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(logGamma(-1.5)).toBeCloseTo(Math.log((4 * Math.sqrt(Math.PI)) / 3), 13);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(2.5)).toBe(1);
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
    expect(gammaSign(-3)).toBeNaN();
  });

  it('logBeta and logSumExp2', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(logSumExp2(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp2(-1000, -1001)).toBeCloseTo(-1000 + Math.log1p(Math.exp(-1)), 12);
    expect(logSumExp2(Number.NEGATIVE_INFINITY, 3)).toBe(3);
  });
});
