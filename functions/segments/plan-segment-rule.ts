import { DEFAULT_VALUE_RISK_MATRIX } from '../scoring/value-risk-matrix';
import { lifecycleTierKeys, valueRiskKeys } from '../scoring-job/profile-scores';
import { ACTIVITY_ATTRIBUTE } from './activity-summary';
import { DEFAULT_SEGMENT_FIELDS, type SegmentFieldCatalogue } from './segment-fields';
import {
  childrenOf,
  isAll,
  isAny,
  isAttribute,
  isCampaign,
  isEvent,
  isSample,
  isSegmentRef,
  type SegmentRule,
  type SegmentRules,
} from './segment-rule';

// How to read a rule's audience. The scoring job writes two indexes on the profiles table:
// `byLifecycleTier` (partition `lifecycle#tier#shard`) and `byValueRisk` (`tier#band#shard`), so a
// rule that pins both labels of one (eq or in, at the top or inside top-level `all`s, through
// referenced segments too), or pins a value x risk cell (`high/high`: the tiers of that value level
// with that band), can only match profiles in those partitions: a few Queries instead of a Scan. The index is a pre-filter only; the full rule is still evaluated on every item read. An
// `any` whose every branch pins the same index reads the union of their partitions. Pins that
// contradict each other (lifecycle eq lapsed and eq new) leave no partition: nothing to read.

export type SegmentPlan =
  | {
      readonly kind: 'index';
      readonly index: 'byLifecycleTier' | 'byValueRisk';
      readonly keys: readonly string[];
    }
  | { readonly kind: 'scan' };

type IndexName = 'byLifecycleTier' | 'byValueRisk';

export interface PlanContext {
  readonly segments: SegmentRules;
  /** The value level of each tier, which a value x risk cell names (the scoring job's matrix). */
  readonly valueLevels?: Readonly<Record<string, string>>;
}

const CELL = 'scores.valueRiskCell';

const INDEX_FIELDS: Readonly<Record<IndexName, readonly [string, string]>> = {
  byLifecycleTier: ['scores.lifecycle', 'scores.valueTier'],
  byValueRisk: ['scores.valueTier', 'scores.churnBand'],
};
const KEYS_OF: Readonly<Record<IndexName, (a: string, b: string) => string[]>> = {
  byLifecycleTier: lifecycleTierKeys,
  byValueRisk: valueRiskKeys,
};

/** `index:byLifecycleTier` or `scan`, as the preview reports the plan. */
export const planName = (plan: SegmentPlan): string =>
  plan.kind === 'index' ? `index:${plan.index}` : 'scan';

const intersect = (a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): Set<string> =>
  a === undefined ? new Set(b) : new Set([...a].filter((x) => b.has(x)));

/** The conjuncts of a rule: nested `all`s and referenced segments flattened. */
const conjuncts = (
  rule: SegmentRule,
  segments: SegmentRules,
  out: SegmentRule[] = [],
  depth = 0,
): SegmentRule[] => {
  if (depth > 64) return out;
  if (isAll(rule)) for (const r of rule.all) conjuncts(r, segments, out, depth + 1);
  else if (isSegmentRef(rule) && segments.has(rule.segment))
    conjuncts(segments.get(rule.segment)!, segments, out, depth + 1);
  else out.push(rule);
  return out;
};

/** The index partitions every profile matching `rule` lies in, or undefined when they are not bounded. */
const partitions = (
  rule: SegmentRule,
  index: IndexName,
  context: PlanContext,
  depth = 0,
): Set<string> | undefined => {
  if (depth > 64) return undefined;
  const parts = conjuncts(rule, context.segments);
  if (parts.length === 1 && isAny(parts[0]!)) {
    const union = new Set<string>();
    for (const branch of parts[0].any) {
      const keys = partitions(branch, index, context, depth + 1);
      if (!keys) return undefined;
      for (const k of keys) union.add(k);
    }
    return union;
  }
  const [first, second] = INDEX_FIELDS[index];
  const pinnable = index === 'byValueRisk' ? [first, second, CELL] : [first, second];
  const pinned = new Map<string, Set<string>>();
  let bounded: Set<string> | undefined;
  for (const part of parts) {
    if (isAttribute(part) && pinnable.includes(part.attribute)) {
      const values =
        part.op === 'eq' ? [part.value as string] : part.op === 'in' ? (part.value as string[]) : undefined;
      if (values) pinned.set(part.attribute, intersect(pinned.get(part.attribute), new Set(values)));
    } else if (isAny(part)) {
      const keys = partitions(part, index, context, depth + 1);
      if (keys) bounded = intersect(bounded, keys);
    }
  }
  const a = pinned.get(first);
  const b = pinned.get(second);
  const cells = pinned.get(CELL);
  let pairs: [string, string][] | undefined;
  if (cells) {
    // A cell is `<value level>/<churn band>`: every tier of that level with that band.
    const levels = Object.entries(context.valueLevels ?? DEFAULT_VALUE_RISK_MATRIX.valueLevels);
    pairs = [];
    for (const cell of cells) {
      const slash = cell.lastIndexOf('/');
      const band = cell.slice(slash + 1);
      for (const [tier, level] of levels) if (level === cell.slice(0, slash)) pairs.push([tier, band]);
    }
    pairs = pairs.filter(([x, y]) => (!a || a.has(x)) && (!b || b.has(y)));
  } else if (a && b) pairs = [...a].flatMap((x) => [...b].map((y): [string, string] => [x, y]));
  if (pairs) {
    const keys = new Set<string>();
    for (const [x, y] of pairs) for (const k of KEYS_OF[index](x, y)) keys.add(k);
    bounded = intersect(bounded, keys);
  }
  return bounded;
};

/** The cheapest way to read the profiles `rule` can match. */
export const planSegmentRule = (rule: SegmentRule, context: PlanContext): SegmentPlan => {
  let best: SegmentPlan = { kind: 'scan' };
  for (const index of ['byLifecycleTier', 'byValueRisk'] as const) {
    const keys = partitions(rule, index, context);
    if (keys && (best.kind === 'scan' || keys.size < best.keys.length))
      best = { kind: 'index', index, keys: [...keys].sort() };
  }
  return best;
};

/**
 * The top-level profile item attributes evaluating `rule` reads, with `always` (what the caller
 * needs anyway, e.g. email, phone, consent) and `profileId`: the projection of a scan or query.
 */
export const attributesOf = (
  rule: SegmentRule,
  context: {
    readonly segments: SegmentRules;
    readonly always?: readonly string[];
    readonly fields?: SegmentFieldCatalogue;
  },
): string[] => {
  const fields = context.fields ?? DEFAULT_SEGMENT_FIELDS;
  const out = new Set<string>(['profileId', ...(context.always ?? [])]);
  const seen = new Set<string>();
  const walk = (r: SegmentRule) => {
    if (isAttribute(r)) {
      const field = fields.field(r.attribute);
      if (!field) throw new Error(`unknown field ${r.attribute}`);
      out.add(field.attribute);
    } else if (isEvent(r)) out.add(ACTIVITY_ATTRIBUTE);
    else if (isCampaign(r)) {
      out.add(ACTIVITY_ATTRIBUTE);
      out.add('contactLog');
    } else if (isSample(r)) out.add('profileId');
    else if (isSegmentRef(r)) {
      if (seen.has(r.segment)) return;
      seen.add(r.segment);
      const target = context.segments.get(r.segment);
      if (!target) throw new Error(`unknown segment ${r.segment}`);
      walk(target);
    }
    for (const child of childrenOf(r)) walk(child);
  };
  walk(rule);
  return [...out].sort();
};
