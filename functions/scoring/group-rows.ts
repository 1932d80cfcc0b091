// Groups customers that share the same values in a few numeric columns, e.g. the (x, t_x, T)
// triple of the BG/NBD likelihood or the (x, T) pair of its conditional expectation. Likelihoods
// and predictions are then computed once per group and weighted by the group size: with a day or
// week time grid, 1,000,000 customers typically collapse to a few tens of thousands of groups.
//
// Each column's distinct values are numbered; a row's key is the mixed-radix number of its value
// numbers (exact while below 2^53, otherwise a string key is used). Keys are sorted, so groups come
// ordered by the first column, then the second, and so on.

export interface RowGroups {
  count: number;
  /** Number of rows in each group. */
  weight: Float64Array;
  /** One row of each group, to read the group's column values from. */
  representative: Int32Array;
  /** The group of each row, -1 for rows left out. */
  groupOf: Int32Array;
}

export function groupRows(columns: readonly Float64Array[], rows: number, include?: Uint8Array): RowGroups {
  const included: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (include && include[i] === 0) continue;
    let ok = true;
    for (const col of columns) if (Number.isNaN(col[i]!)) ok = false;
    if (ok) included.push(i);
  }
  const m = included.length;
  const codes: Int32Array[] = [];
  const radices: number[] = [];
  for (const col of columns) {
    const values = new Float64Array(m);
    for (let k = 0; k < m; k++) values[k] = col[included[k]!]!;
    const distinct = uniqueSorted(values);
    const number = new Map<number, number>();
    for (let d = 0; d < distinct.length; d++) number.set(distinct[d]!, d);
    const code = new Int32Array(m);
    for (let k = 0; k < m; k++) code[k] = number.get(values[k]!)!;
    codes.push(code);
    radices.push(Math.max(1, distinct.length));
  }
  const span = radices.reduce((p, r) => p * r, 1);
  const groupOf = new Int32Array(rows).fill(-1);
  if (span <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      let key = 0;
      for (let c = 0; c < codes.length; c++) key = key * radices[c]! + codes[c]![k]!;
      keys[k] = key;
    }
    const distinctKeys = uniqueSorted(keys);
    const count = distinctKeys.length;
    const weight = new Float64Array(count);
    const representative = new Int32Array(count);
    for (let k = 0; k < m; k++) {
      const g = lowerBound(distinctKeys, keys[k]!);
      const row = included[k]!;
      if (weight[g] === 0) representative[g] = row;
      weight[g]!++;
      groupOf[row] = g;
    }
    return { count, weight, representative, groupOf };
  }
  // Too many combinations for an exact numeric key: fall back to strings.
  const index = new Map<string, number>();
  const weights: number[] = [];
  const reps: number[] = [];
  for (let k = 0; k < m; k++) {
    const key = codes.map((code) => code[k]!).join(',');
    let g = index.get(key);
    if (g === undefined) {
      g = weights.length;
      index.set(key, g);
      weights.push(0);
      reps.push(included[k]!);
    }
    weights[g]!++;
    groupOf[included[k]!] = g;
  }
  return {
    count: weights.length,
    weight: Float64Array.from(weights),
    representative: Int32Array.from(reps),
    groupOf,
  };
}

function uniqueSorted(values: Float64Array): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  }
  return sorted.subarray(0, n);
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
