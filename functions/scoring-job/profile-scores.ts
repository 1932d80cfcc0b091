// What a scoring run writes onto each profile: its scores (read back by GET /profiles/{id}) and the
// keys of the two score indexes of the profiles table (lib/definition.ts), which let a segment such
// as "lapsed and gold" or "high value at high risk" be read with a few Queries instead of a Scan.
// Pure: no AWS.

import type { CustomerSummaries, TimeUnit } from '../scoring/prepare-transactions';
import { type ScoringResult, scoredCustomer } from '../scoring/score-customers';

export interface ProfileScores {
  readonly runId: string;
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  readonly scoredAt: string;
  readonly lifecycle: string;
  /** Purchase occasions (customer-days) and net spend up to `asOf`, in the base currency. */
  readonly purchaseOccasions: number;
  readonly totalSpend: number;
  readonly rfm: {
    readonly recency: number;
    readonly frequency: number;
    readonly monetary: number;
    readonly score: string;
    readonly segment: string | null;
  } | null;
  /** Probability the customer is still active (BG/NBD). */
  readonly pAlive: number | null;
  /** Expected purchases in the next `horizonPeriods` time units. */
  readonly expectedPurchases: number | null;
  readonly horizonPeriods: number;
  /** Expected spend per future purchase (Gamma-Gamma), in the base currency. */
  readonly expectedSpend: number | null;
  /** Discounted expected revenue (or margin) over the CLV horizon, in the base currency. */
  readonly clv: number | null;
  readonly currency: string;
  readonly valueTier: string | null;
  readonly churnBand: string | null;
  readonly valueRiskCell: string | null;
  readonly action: string | null;
}

/** The index attributes of a scored profile; absent ones are removed (prospects are in no index). */
export interface ScoreIndexKeys {
  readonly scoreLifecycleTier?: string;
  readonly scoreCell?: string;
  readonly scoreRank?: string;
}

export const SCORE_INDEX_ATTRIBUTES = ['scoreLifecycleTier', 'scoreCell', 'scoreRank'] as const;

/**
 * Index partition keys are spread over this many shards (by a hash of the profile id), so that a
 * nightly rewrite of a million profiles does not pour into one index partition; a segment is read
 * with one Query per shard.
 */
export const SCORE_INDEX_SHARDS = 4;

const slug = (label: string): string => label.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** FNV-1a of the id, modulo the shard count. */
export const shardOf = (profileId: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < profileId.length; i++) {
    hash ^= profileId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SCORE_INDEX_SHARDS;
};

/** An index partition key: two labels and a shard, e.g. `lapsed#gold#2`, `gold#high#0`. */
const indexKey = (first: string, second: string, shard: number): string =>
  `${slug(first)}#${slug(second)}#${shard}`;

const everyShard = (first: string, second: string): string[] =>
  Array.from({ length: SCORE_INDEX_SHARDS }, (_, s) => indexKey(first, second, s));

/** The `byLifecycleTier` partition keys of a segment, one per shard: e.g. ('lapsed', 'gold'). */
export const lifecycleTierKeys = (lifecycle: string, valueTier: string): string[] =>
  everyShard(lifecycle, valueTier);

/** The `byValueRisk` partition keys of a value x risk cell, one per shard: e.g. ('gold', 'high'). */
export const valueRiskKeys = (valueTier: string, churnBand: string): string[] =>
  everyShard(valueTier, churnBand);

const RANK_SCALE = 100; // cents
const RANK_MAX = 1e13 - 1;

/**
 * Sort key of both indexes: the CLV (total spend when no model could be fitted) inverted into a
 * fixed-width string, so an ascending Query returns the most valuable customers first.
 */
export const scoreRankOf = (value: number): string => {
  const cents = Math.min(
    RANK_MAX,
    Math.max(0, Math.round((Number.isFinite(value) ? value : 0) * RANK_SCALE)),
  );
  return String(RANK_MAX - cents).padStart(13, '0');
};

const round = (v: number | null, digits: number): number | null =>
  v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

/** Customer i of a scoring result as the profile's `scores` and its index keys. */
export const profileScoresOf = (
  result: ScoringResult,
  summaries: CustomerSummaries,
  i: number,
  run: { readonly runId: string; readonly scoredAt: string; readonly currency: string },
): { scores: ProfileScores; index: ScoreIndexKeys } => {
  const c = scoredCustomer(result, i);
  const purchased = !Number.isNaN(summaries.firstDay[i]!);
  const totalSpend = round(summaries.totalSpend[i]!, 2) ?? 0;
  const scores: ProfileScores = {
    runId: run.runId,
    asOf: result.asOf,
    timeUnit: result.timeUnit,
    scoredAt: run.scoredAt,
    lifecycle: c.lifecycle,
    purchaseOccasions: purchased ? summaries.x[i]! + 1 : 0,
    totalSpend,
    rfm: purchased
      ? {
          recency: c.rfm.recency,
          frequency: c.rfm.frequency,
          monetary: c.rfm.monetary,
          score: `${c.rfm.recency}${c.rfm.frequency}${c.rfm.monetary}`,
          segment: c.segment,
        }
      : null,
    pAlive: round(c.pAlive, 4),
    expectedPurchases: round(c.expectedPurchases, 4),
    horizonPeriods: result.nextPeriods,
    expectedSpend: round(c.expectedSpend, 2),
    clv: round(c.clv, 2),
    currency: run.currency,
    valueTier: c.valueTier,
    churnBand: c.churnBand,
    valueRiskCell: c.cell,
    action: c.action,
  };
  if (!purchased) return { scores, index: {} };
  const shard = shardOf(c.customerId);
  const rank = scoreRankOf(c.clv ?? totalSpend);
  return {
    scores,
    index: {
      ...(c.valueTier ? { scoreLifecycleTier: indexKey(c.lifecycle, c.valueTier, shard) } : {}),
      ...(c.valueTier && c.churnBand ? { scoreCell: indexKey(c.valueTier, c.churnBand, shard) } : {}),
      scoreRank: rank,
    },
  };
};
