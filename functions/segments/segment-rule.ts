import { z } from 'zod';

// The rule language of segments: a JSON tree of `all`, `any` and `not` over leaves that test a
// profile field, the customer's recorded activity, another saved segment, a campaign's sends, or a
// stable random share. The types say what a valid rule looks like; parse-segment-rule.ts is what
// turns untrusted JSON into one (with errors a marketer can act on), and the README (Segments) is the reference.

export const ATTRIBUTE_OPS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'notExists',
  'contains',
  'before',
  'after',
] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

export type Scalar = string | number | boolean;

export interface AttributeRule {
  /** A path from the field catalogue (segment-fields.ts): `country`, `scores.lifecycle`, `attributes.plan`. */
  readonly attribute: string;
  readonly op: AttributeOp;
  /** Absent for exists / notExists; an array for in / notIn. */
  readonly value?: Scalar | readonly Scalar[];
}

export const COUNT_OPS = ['gte', 'gt', 'lte', 'lt', 'eq'] as const;
export type CountOp = (typeof COUNT_OPS)[number];
/** Exactly one comparison, e.g. `{"gte": 2}`. */
export type CountCondition = { readonly [K in CountOp]?: number };

export interface WhereCondition {
  /** One of the properties the activity summary keeps (SUMMARISED_PROPERTIES). */
  readonly property: string;
  readonly op: 'eq' | 'in';
  readonly value: string | readonly string[];
}

export interface EventRule {
  readonly event: string;
  readonly op: 'did' | 'didNot';
  /** An unsigned ISO 8601 duration back from the evaluation time, e.g. `P30D`. */
  readonly within?: string;
  readonly count?: CountCondition;
  readonly where?: readonly WhereCondition[];
}

export interface SegmentRefRule {
  readonly segment: string;
}

export interface CampaignRule {
  readonly campaign: string;
  readonly op: 'received' | 'notReceived';
  readonly within?: string;
}

export interface SampleRule {
  readonly sample: { readonly share: number; readonly seed: string };
}

export interface AllRule {
  readonly all: readonly SegmentRule[];
}
export interface AnyRule {
  readonly any: readonly SegmentRule[];
}
export interface NotRule {
  readonly not: SegmentRule;
}

export type SegmentRule =
  | AllRule
  | AnyRule
  | NotRule
  | AttributeRule
  | EventRule
  | SegmentRefRule
  | CampaignRule
  | SampleRule;

/** The key that says what a node is; a node has exactly one of them. */
export const RULE_KINDS = [
  'all',
  'any',
  'not',
  'attribute',
  'event',
  'segment',
  'campaign',
  'sample',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const isAll = (r: SegmentRule): r is AllRule => 'all' in r;
export const isAny = (r: SegmentRule): r is AnyRule => 'any' in r;
export const isNot = (r: SegmentRule): r is NotRule => 'not' in r;
export const isAttribute = (r: SegmentRule): r is AttributeRule => 'attribute' in r;
export const isEvent = (r: SegmentRule): r is EventRule => 'event' in r;
export const isSegmentRef = (r: SegmentRule): r is SegmentRefRule => 'segment' in r;
export const isCampaign = (r: SegmentRule): r is CampaignRule => 'campaign' in r;
export const isSample = (r: SegmentRule): r is SampleRule => 'sample' in r;

export const ruleKind = (r: SegmentRule): RuleKind => {
  for (const kind of RULE_KINDS) if (kind in r) return kind;
  throw new Error('not a segment rule node');
};

/** The rules a node combines (none for a leaf). */
export const childrenOf = (r: SegmentRule): readonly SegmentRule[] =>
  isAll(r) ? r.all : isAny(r) ? r.any : isNot(r) ? [r.not] : [];

/** The segment ids a rule refers to directly (not through the segments it refers to). */
export const referencedSegments = (rule: SegmentRule): string[] => {
  const out = new Set<string>();
  const walk = (r: SegmentRule) => {
    if (isSegmentRef(r)) out.add(r.segment);
    for (const child of childrenOf(r)) walk(child);
  };
  walk(rule);
  return [...out];
};

/** A rule's segment ids resolved through a map of saved segments. */
export type SegmentRules = ReadonlyMap<string, SegmentRule>;

// The shape of a rule for the OpenAPI document and for clients generated from it. It checks
// structure only: parseSegmentRule checks fields, ops, values, durations, references and limits,
// and names the JSON path of every fault, which a union's error cannot.
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const duration = z.string().describe('ISO 8601 duration, e.g. P30D, PT12H, P1Y2M');

export const segmentRuleSchema: z.ZodType<SegmentRule> = z
  .lazy(() =>
    z.union([
      z.strictObject({ all: z.array(segmentRuleSchema).min(1) }),
      z.strictObject({ any: z.array(segmentRuleSchema).min(1) }),
      z.strictObject({ not: segmentRuleSchema }),
      z.strictObject({
        attribute: z.string().describe('A field path, e.g. country, scores.lifecycle, attributes.plan'),
        op: z.enum(ATTRIBUTE_OPS),
        value: z.union([scalar, z.array(scalar)]).optional(),
      }),
      z.strictObject({
        event: z.string(),
        op: z.enum(['did', 'didNot']),
        within: duration.optional(),
        count: z.partialRecord(z.enum(COUNT_OPS), z.number().int().nonnegative()).optional(),
        where: z
          .array(
            z.strictObject({
              property: z.string(),
              op: z.enum(['eq', 'in']),
              value: z.union([z.string(), z.array(z.string())]),
            }),
          )
          .optional(),
      }),
      z.strictObject({ segment: z.string() }),
      z.strictObject({
        campaign: z.string(),
        op: z.enum(['received', 'notReceived']),
        within: duration.optional(),
      }),
      z.strictObject({ sample: z.strictObject({ share: z.number(), seed: z.string() }) }),
    ]),
  )
  .meta({
    id: 'SegmentRule',
    description:
      'A segment rule: {all: [...]}, {any: [...]}, {not: rule}, or a leaf: attribute, event, segment, campaign or sample (see the rule reference).',
  }) as z.ZodType<SegmentRule>;
