// Quasi-Newton polish: BFGS (Nocedal and Wright, "Numerical Optimization", 2nd ed., 2006,
// algorithm 6.1) with central-difference gradients and a backtracking Armijo line search.
// Used after Nelder-Mead to tighten an optimum that the simplex has already located.

export interface BfgsOptions {
  maxIterations?: number;
  /** Stop when the gradient's max-norm falls below this. */
  gradientTolerance?: number;
  /** Finite-difference step (default 1e-5). */
  h?: number;
  /** Stop when an iteration improves f by less than this times |f| + 1 (default 1e-13). */
  fTolerance?: number;
}

export interface BfgsResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  gradientNorm: number;
}

/** Central-difference gradient; a one-sided difference where one side is infinite (a bound). */
export function numericGradient(
  f: (x: readonly number[]) => number,
  x: readonly number[],
  fx: number,
  h = 1e-5,
): number[] {
  const n = x.length;
  const g = new Array<number>(n).fill(0);
  const y = [...x];
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    y[i] = xi + h;
    const up = f(y);
    y[i] = xi - h;
    const down = f(y);
    y[i] = xi;
    if (Number.isFinite(up) && Number.isFinite(down)) g[i] = (up - down) / (2 * h);
    else if (Number.isFinite(up)) g[i] = (up - fx) / h;
    else if (Number.isFinite(down)) g[i] = (fx - down) / h;
  }
  return g;
}

export function bfgs(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: BfgsOptions = {},
): BfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 50;
  const gTol = options.gradientTolerance ?? 1e-7;
  const h = options.h ?? 1e-5;
  const fTol = options.fTolerance ?? 1e-13;
  let evaluations = 0;
  const fe = (x: readonly number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  let x = [...x0];
  let fx = fe(x);
  let g = numericGradient(fe, x, fx, h);
  // Inverse Hessian approximation, start from the identity.
  let H = identity(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(g) < gTol) break;
    let d = matVec(H, g).map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: reset to steepest descent.
      H = identity(n);
      d = g.map((v) => -v);
      slope = dot(g, d);
    }
    let t = 1;
    let xNew = x;
    let fNew = fx;
    let accepted = false;
    for (let k = 0; k < 40; k++) {
      xNew = x.map((v, i) => v + t * d[i]!);
      fNew = fe(xNew);
      if (fNew <= fx + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break;
    const gNew = numericGradient(fe, xNew, fNew, h);
    const s = xNew.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (sy > 1e-12) {
      // H <- (I - rho s y') H (I - rho y s') + rho s s'
      const rho = 1 / sy;
      const Hy = matVec(H, y);
      const yHy = dot(y, Hy);
      const next = identity(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          next[i]![j] =
            H[i]![j]! - rho * (s[i]! * Hy[j]! + Hy[i]! * s[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
      H = next;
    }
    const improvement = fx - fNew;
    x = xNew;
    fx = fNew;
    g = gNew;
    if (improvement <= fTol * (Math.abs(fx) + 1)) {
      iterations++;
      break;
    }
  }
  return { x, f: fx, iterations, evaluations, gradientNorm: maxAbs(g) };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function matVec(m: number[][], v: readonly number[]): number[] {
  return m.map((row) => row.reduce((acc, mij, j) => acc + mij * v[j]!, 0));
}

function dot(u: readonly number[], v: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
}

function maxAbs(v: readonly number[]): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}
