// Value tiers ("customer pyramid": Zeithaml, Rust and Lemon, "The Customer Pyramid", California
// Management Review 43(4), 2001) by CLV. Tiers are listed best first. Either by share of the base
// (topShare: the tier holds customers whose share of customers with a strictly higher value is
// below topShare; ties share the better tier), or by absolute value (minValue).
// In share mode a value of zero or less (no expected value, or refunds netting spend to nothing)
// always goes to the last tier: otherwise a base whose values are all 0 (e.g. only free orders)
// would tie for the first tier and be all "gold".

export interface ValueTier {
  name: string;
  /** Cumulative share of the base from the top, in (0, 1]; used with mode 'share'. */
  topShare?: number;
  /** Lowest value in the tier; used with mode 'value'. */
  minValue?: number;
}

export interface ValueTierConfig {
  mode: 'share' | 'value';
  tiers: readonly ValueTier[];
}

export const DEFAULT_VALUE_TIERS: ValueTierConfig = {
  mode: 'share',
  tiers: [
    { name: 'gold', topShare: 0.01 },
    { name: 'key', topShare: 0.05 },
    { name: 'quality', topShare: 0.2 },
    { name: 'general', topShare: 0.5 },
    { name: 'restricted', topShare: 0.8 },
    { name: 'eliminated', topShare: 1 },
  ],
};

export const NO_TIER = 255;

/** Tier index of each value (NO_TIER for NaN or excluded rows). The last tier catches the rest. */
export function assignValueTiers(
  values: Float64Array,
  config: ValueTierConfig = DEFAULT_VALUE_TIERS,
  include?: Uint8Array,
): Uint8Array {
  const { tiers } = config;
  if (tiers.length === 0 || tiers.length > 254) throw new Error('between 1 and 254 value tiers');
  const n = values.length;
  const out = new Uint8Array(n).fill(NO_TIER);
  const last = tiers.length - 1;
  if (config.mode === 'value') {
    for (let i = 0; i < n; i++) {
      if ((include && include[i] === 0) || Number.isNaN(values[i]!)) continue;
      let t = 0;
      while (t < last && !(values[i]! >= (tiers[t]!.minValue ?? Number.NEGATIVE_INFINITY))) t++;
      out[i] = t;
    }
    return out;
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++)
    if (!((include && include[i] === 0) || Number.isNaN(values[i]!))) kept.push(values[i]!);
  const m = kept.length;
  const descending = Float64Array.from(kept).sort().reverse();
  for (let i = 0; i < n; i++) {
    if ((include && include[i] === 0) || Number.isNaN(values[i]!)) continue;
    const v = values[i]!;
    if (!(v > 0)) {
      out[i] = last;
      continue;
    }
    // Customers with a strictly higher value.
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (descending[mid]! > v) lo = mid + 1;
      else hi = mid;
    }
    const shareAbove = lo / m;
    let t = 0;
    while (t < last && !(shareAbove < (tiers[t]!.topShare ?? 1))) t++;
    out[i] = t;
  }
  return out;
}
