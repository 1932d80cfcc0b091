// Churn-risk bands from the BG/NBD probability of being alive. Bands are listed from the lowest
// risk; a customer falls in the first band whose minPAlive her P(alive) reaches.
// Note: in the BG/NBD model P(alive) = 1 for every customer without a repeat purchase, however
// long ago her single purchase was; lifecycleStage() uses the purchase history for those.

export interface ChurnBand {
  name: string;
  minPAlive: number;
}

export const DEFAULT_CHURN_BANDS: readonly ChurnBand[] = [
  { name: 'low', minPAlive: 0.7 },
  { name: 'medium', minPAlive: 0.3 },
  { name: 'high', minPAlive: 0 },
];

/** Index of the band of pAlive (the last band for anything below every cut-off; -1 for NaN). */
export function churnBandIndex(pAlive: number, bands: readonly ChurnBand[] = DEFAULT_CHURN_BANDS): number {
  if (Number.isNaN(pAlive)) return -1;
  for (let k = 0; k < bands.length; k++) if (pAlive >= bands[k]!.minPAlive) return k;
  return bands.length - 1;
}
