// Robust box-constrained minimisation for the small (3-4 parameter) likelihood fits:
// Nelder-Mead from several starting points, restarted from its own optimum with a fresh simplex
// until a restart no longer improves (this escapes the premature collapse Nelder-Mead is known
// for; McKinnon, SIAM J. Optim. 9, 1998), then a few BFGS steps with numeric gradients to polish.
// Bounds are enforced by returning +Infinity outside the box.

import { bfgs } from './bfgs.ts';
import { nelderMead } from './nelder-mead.ts';

export interface MinimizeOptions {
  lower: readonly number[];
  upper: readonly number[];
  /** Maximum number of Nelder-Mead restarts from the incumbent optimum (default 6). */
  maxRestarts?: number;
  /** A restart counts as an improvement above this relative decrease of f (default 1e-9). */
  restartTolerance?: number;
  /** Evaluations per Nelder-Mead run (default 1500 per dimension). */
  maxEvaluationsPerRun?: number;
  /** See MinimizeResult.atBound (default ln 2). */
  boundTolerance?: number;
  /** Run the BFGS polish (default true). */
  polish?: boolean;
}

export interface MinimizeResult {
  x: number[];
  f: number;
  evaluations: number;
  /** Whether the last restart failed to improve and the polish ended on a small gradient. */
  converged: boolean;
  /**
   * Indices of the coordinates that ended within boundTolerance (default ln 2: a factor of 2 for
   * log-parameters) of a bound. Flat likelihoods stop short of the bound itself.
   */
  atBound: number[];
}

export function minimize(
  f: (x: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  options: MinimizeOptions,
): MinimizeResult {
  const { lower, upper } = options;
  const n = lower.length;
  const maxRestarts = options.maxRestarts ?? 6;
  const perRun = options.maxEvaluationsPerRun ?? 1500 * n;
  let evaluations = 0;
  const bounded = (x: readonly number[]): number => {
    for (let i = 0; i < n; i++)
      if (!(x[i]! >= lower[i]! && x[i]! <= upper[i]!)) return Number.POSITIVE_INFINITY;
    return f(x);
  };
  const clamp = (x: readonly number[]): number[] =>
    x.map((v, i) => Math.min(upper[i]!, Math.max(lower[i]!, v)));

  let bestX: number[] = clamp(starts[0] ?? lower.map((l, i) => (l + upper[i]!) / 2));
  let bestF = Number.POSITIVE_INFINITY;
  for (const start of starts) {
    const run = nelderMead(bounded, clamp(start), { maxEvaluations: perRun, step: 0.5 });
    evaluations += run.evaluations;
    if (run.f < bestF) {
      bestF = run.f;
      bestX = run.x;
    }
  }
  let settled = false;
  for (let k = 0; k < maxRestarts && Number.isFinite(bestF); k++) {
    const run = nelderMead(bounded, bestX, { maxEvaluations: perRun, step: 0.1 });
    evaluations += run.evaluations;
    const improved = run.f < bestF - (options.restartTolerance ?? 1e-9) * (Math.abs(bestF) + 1);
    if (run.f < bestF) {
      bestF = run.f;
      bestX = run.x;
    }
    if (!improved) {
      settled = true;
      break;
    }
  }
  let gradientSmall = false;
  if ((options.polish ?? true) && Number.isFinite(bestF)) {
    const polished = bfgs(bounded, bestX, { maxIterations: 30 });
    evaluations += polished.evaluations;
    if (polished.f <= bestF) {
      bestF = polished.f;
      bestX = polished.x;
    }
    gradientSmall = polished.gradientNorm < 1e-3;
  }
  const atBound: number[] = [];
  const tolerance = options.boundTolerance ?? Math.LN2;
  for (let i = 0; i < n; i++) {
    if (bestX[i]! - lower[i]! < tolerance || upper[i]! - bestX[i]! < tolerance) atBound.push(i);
  }
  return {
    x: bestX,
    f: bestF,
    evaluations,
    converged: settled && (gradientSmall || atBound.length > 0 || !(options.polish ?? true)),
    atBound,
  };
}

/**
 * For large data: locate the optimum with minimize() on a cheap objective (the likelihood of a
 * subsample), then polish with BFGS on the full objective, so the result is the full-data optimum
 * while the many Nelder-Mead evaluations only touch the subsample.
 */
export function minimizeWithSubsample(
  full: (x: readonly number[]) => number,
  sample: (x: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  options: MinimizeOptions & { gradientTolerance: number },
): MinimizeResult {
  const { lower, upper } = options;
  const n = lower.length;
  const coarse = minimize(sample, starts, {
    maxRestarts: 2,
    restartTolerance: 1e-7,
    maxEvaluationsPerRun: 500 * n,
    ...options,
    polish: true,
  });
  const bounded = (x: readonly number[]): number => {
    for (let i = 0; i < n; i++)
      if (!(x[i]! >= lower[i]! && x[i]! <= upper[i]!)) return Number.POSITIVE_INFINITY;
    return full(x);
  };
  const polished = bfgs(bounded, coarse.x, { maxIterations: 40, fTolerance: 1e-12 });
  const atBound: number[] = [];
  const tolerance = options.boundTolerance ?? Math.LN2;
  for (let i = 0; i < n; i++) {
    if (polished.x[i]! - lower[i]! < tolerance || upper[i]! - polished.x[i]! < tolerance) atBound.push(i);
  }
  return {
    x: polished.x,
    f: polished.f,
    evaluations: coarse.evaluations + polished.evaluations,
    converged: polished.gradientNorm < options.gradientTolerance || atBound.length > 0,
    atBound,
  };
}
