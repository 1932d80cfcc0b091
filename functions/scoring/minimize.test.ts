import { describe, expect, it } from 'vitest';
import { bfgs } from './bfgs.ts';
import { minimize } from './minimize.ts';
import { nelderMead } from './nelder-mead.ts';

const rosenbrock = (x: readonly number[]): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

describe('optimisers', () => {
  it('Nelder-Mead finds the Rosenbrock minimum', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 5000 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it('BFGS with numeric gradients polishes a quadratic', () => {
    const f = (x: readonly number[]): number => (x[0]! - 3) ** 2 + 10 * (x[1]! + 1) ** 2 + x[0]! * x[1]!;
    const r = bfgs(f, [0, 0]);
    // Minimum of the quadratic: gradient (2(x-3) + y, 20(y+1) + x) = 0.
    expect(r.x[0]).toBeCloseTo(140 / 39, 5);
    expect(r.x[1]).toBeCloseTo(-46 / 39, 5);
  });

  it('minimize respects the box and reports coordinates at a bound', () => {
    const f = (x: readonly number[]): number => (x[0]! - 5) ** 2 + (x[1]! - 0.5) ** 2;
    const r = minimize(f, [[0, 0]], { lower: [-1, -1], upper: [2, 2] });
    expect(r.x[0]).toBeCloseTo(2, 3);
    expect(r.x[1]).toBeCloseTo(0.5, 4);
    expect(r.atBound).toEqual([0]);
    const inside = minimize(rosenbrock, [[-1.2, 1]], { lower: [-5, -5], upper: [5, 5] });
    expect(inside.x[0]).toBeCloseTo(1, 5);
    expect(inside.atBound).toEqual([]);
    expect(inside.converged).toBe(true);
  });
});
