// Nelder-Mead simplex minimisation (Nelder and Mead, "A simplex method for function
// minimization", Computer Journal 7, 1965), with the dimension-adaptive coefficients of Gao and
// Han ("Implementing the Nelder-Mead simplex algorithm with adaptive parameters", Computational
// Optimization and Applications 51, 2012): reflection 1, expansion 1 + 2/n, contraction
// 0.75 - 1/(2n), shrink 1 - 1/n. Derivative-free, so it tolerates +Infinity (used for bounds).

export interface NelderMeadOptions {
  /** Initial simplex step per coordinate (default 0.5). */
  step?: number;
  /** Stop when the spread of f over the simplex and the simplex diameter are below these. */
  fTolerance?: number;
  xTolerance?: number;
  maxEvaluations?: number;
}

export interface NelderMeadResult {
  x: number[];
  f: number;
  evaluations: number;
  converged: boolean;
}

export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const step = options.step ?? 0.5;
  const fTol = options.fTolerance ?? 1e-10;
  const xTol = options.xTolerance ?? 1e-8;
  const maxEval = options.maxEvaluations ?? 2000 * n;
  const alpha = 1;
  const gamma = 1 + 2 / n;
  const rho = 0.75 - 1 / (2 * n);
  const sigma = 1 - 1 / n;

  const simplex: number[][] = [];
  const values: number[] = [];
  let evaluations = 0;
  const evaluate = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  simplex.push([...x0]);
  values.push(evaluate(simplex[0]!));
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] = x[i]! + step;
    simplex.push(x);
    values.push(evaluate(x));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Array<number>(n).fill(0);
  const point = (base: number[], towards: number[], coefficient: number): number[] =>
    base.map((b, j) => b + coefficient * (b - towards[j]!));

  let converged = false;
  while (evaluations < maxEval) {
    order.sort((i, j) => values[i]! - values[j]!);
    const best = order[0]!;
    const worst = order[n]!;
    const secondWorst = order[n - 1]!;
    const fBest = values[best]!;
    const fWorst = values[worst]!;
    let diameter = 0;
    for (let i = 1; i <= n; i++) {
      const xi = simplex[order[i]!]!;
      for (let j = 0; j < n; j++) diameter = Math.max(diameter, Math.abs(xi[j]! - simplex[best]![j]!));
    }
    if (Math.abs(fWorst - fBest) <= fTol * (Math.abs(fBest) + 1e-12) && diameter <= xTol) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = simplex[order[i]!]!;
      for (let j = 0; j < n; j++) centroid[j]! += xi[j]! / n;
    }
    const xr = point(centroid, simplex[worst]!, alpha);
    const fr = evaluate(xr);
    if (fr < fBest) {
      const xe = point(centroid, simplex[worst]!, alpha * gamma);
      const fe = evaluate(xe);
      if (fe < fr) {
        simplex[worst] = xe;
        values[worst] = fe;
      } else {
        simplex[worst] = xr;
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[secondWorst]!) {
      simplex[worst] = xr;
      values[worst] = fr;
      continue;
    }
    // Contraction: outside if the reflected point is better than the worst, inside otherwise.
    const outside = fr < fWorst;
    const xc = outside
      ? point(centroid, simplex[worst]!, alpha * rho)
      : point(centroid, simplex[worst]!, -rho);
    const fc = evaluate(xc);
    if (fc < (outside ? fr : fWorst)) {
      simplex[worst] = xc;
      values[worst] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    const xb = simplex[best]!;
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      const xi = simplex[i]!;
      for (let j = 0; j < n; j++) xi[j] = xb[j]! + sigma * (xi[j]! - xb[j]!);
      values[i] = evaluate(xi);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { x: simplex[bestIndex]!, f: values[bestIndex]!, evaluations, converged };
}
