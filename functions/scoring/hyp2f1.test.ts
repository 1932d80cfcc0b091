import { describe, expect, it } from 'vitest';
import { hyp2f1 } from './hyp2f1.ts';

// Reference values computed with mpmath.hyp2f1 at 30 digits.
const REFERENCE: [number, number, number, number, number][] = [
  [0.243, -0.20699999999999996, 2.2190000000000003, -0.5, 1.0105804614126501],
  [0.243, -0.207, 2.219, -3.0, 1.0505896633323748],
  [0.243, -0.207, 2.219, -1.5, 1.028518169700443],
  [5.243, -0.207, 7.219, -0.9, 1.1090513410374634],
  [0.5, 0.5, 1.5, 0.99, 1.4780376623747749],
  [2.3, 1.7, 0.6, 0.9, 9701.715364638325],
  [1.2, 3.4, 5.6, -25.0, 0.041896610713905505],
  [10.243, -0.207, 12.219, -40.0, 2.079087510121927],
  [50.243, -0.207, 52.219, -500.0, 3.592350993037987],
  [1.5, 2.5, 3.1, -7.0, 0.0671594715937405],
  [1.5, 3.5, 3.1, -7.0, 0.03477726827156516],
  [1.5, 3.5000001, 3.1, -7.0, 0.03477726630947544],
  [0.3, 0.3, 2.0, -100.0, 0.6245925084355369],
  [0.7, 1.2, -0.4, 0.3, -0.7728878247121217],
  [0.7, 1.2, -0.4, -5.0, 0.3010745626033309],
  [3, 4, 5, 0.999, 1996061.1733720407],
  [0.243, 2.426, 2.219, 0.95, 2.4461866770309917],
  [120.5, 130.2, 250.1, 0.5, 1.8713744222764954e17],
  [0.25, -0.5, 0.9, -10000.0, 40.80969739492787],
  [2.0, 1e-5, 3.0, -50.0, 0.9999654980771299],
];

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('hyp2f1', () => {
  it.each(REFERENCE)('2F1(%f, %f; %f; %f) = %f', (a, b, c, z, expected) => {
    expect(relativeError(hyp2f1(a, b, c, z), expected)).toBeLessThan(1e-9);
  });

  it('matches closed forms across the whole range of z', () => {
    for (const z of [-1e6, -50, -3, -2, -1, -0.6, -0.5, -0.1, 0.1, 0.5, 0.75, 0.8, 0.95, 0.999]) {
      // 2F1(1, 1; 2; z) = -ln(1 - z) / z
      expect(relativeError(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-9);
      // 2F1(a, b; b; z) = (1 - z)^-a
      expect(relativeError(hyp2f1(0.37, 2.2, 2.2, z), (1 - z) ** -0.37)).toBeLessThan(1e-9);
      // 2F1(1/2, 1; 3/2; -y^2) = arctan(y) / y
      if (z < 0) {
        const y = Math.sqrt(-z);
        expect(relativeError(hyp2f1(0.5, 1, 1.5, z), Math.atan(y) / y)).toBeLessThan(1e-9);
      }
    }
  });

  it('is continuous across the degenerate case b - a integer', () => {
    // d ln F / db = -0.56419 here (from the two mpmath reference values at b = 3.5 and 3.5 + 1e-7).
    const at = hyp2f1(1.5, 3.5, 3.1, -7);
    for (const eps of [1e-9, 1e-6, 1e-5, 9.9e-5, 1.01e-4, 3e-4]) {
      const change = (hyp2f1(1.5, 3.5 + eps, 3.1, -7) - at) / at;
      expect(Math.abs(change + 0.56419 * eps)).toBeLessThan(1e-10 + 1e-4 * eps);
    }
  });

  it('handles terminating series and undefined points', () => {
    // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1))
    const b = 1.3;
    const c = 2.7;
    const z = -4;
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 12);
    expect(hyp2f1(1, 1, -2, 0.3)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 0)).toBe(1);
  });
});
