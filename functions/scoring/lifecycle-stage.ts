// Lifecycle stage from the purchase history and P(alive). Rules, first match wins:
//   prospect     no purchase occasion yet;
//   lapsed       P(alive) < lapsedPAlive, or no purchase for lapsedAfterDays;
//   new          first purchase within newWithinDays;
//   reactivated  the last purchase came after a gap of at least reactivationGapDays and lies
//                within recentDays;
//   at risk      P(alive) < atRiskPAlive, or no purchase for atRiskAfterDays;
//   active       otherwise.
// The day thresholds matter for one-time buyers, whose BG/NBD P(alive) is always 1.

export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'at risk', 'lapsed', 'reactivated'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface LifecycleOptions {
  newWithinDays?: number;
  recentDays?: number;
  reactivationGapDays?: number;
  atRiskPAlive?: number;
  atRiskAfterDays?: number;
  lapsedPAlive?: number;
  lapsedAfterDays?: number;
}

export const DEFAULT_LIFECYCLE_OPTIONS: Required<LifecycleOptions> = {
  newWithinDays: 90,
  recentDays: 90,
  reactivationGapDays: 180,
  atRiskPAlive: 0.5,
  atRiskAfterDays: 180,
  lapsedPAlive: 0.2,
  lapsedAfterDays: 365,
};

export interface LifecycleInput {
  asOfDay: number;
  /** Day numbers, NaN when absent. */
  firstDay: number;
  lastDay: number;
  previousDay: number;
  /** NaN when unknown (no model). */
  pAlive: number;
}

/** Index into LIFECYCLE_STAGES. */
export function lifecycleStageIndex(input: LifecycleInput, options: Required<LifecycleOptions>): number {
  const { asOfDay, firstDay, lastDay, previousDay, pAlive } = input;
  if (Number.isNaN(firstDay)) return 0;
  const sinceLast = asOfDay - lastDay;
  if (pAlive < options.lapsedPAlive || sinceLast >= options.lapsedAfterDays) return 4;
  if (asOfDay - firstDay < options.newWithinDays) return 1;
  if (lastDay - previousDay >= options.reactivationGapDays && sinceLast < options.recentDays) return 5;
  if (pAlive < options.atRiskPAlive || sinceLast >= options.atRiskAfterDays) return 3;
  return 2;
}

export function lifecycleStage(input: LifecycleInput, options: LifecycleOptions = {}): LifecycleStage {
  return LIFECYCLE_STAGES[lifecycleStageIndex(input, { ...DEFAULT_LIFECYCLE_OPTIONS, ...options })]!;
}
