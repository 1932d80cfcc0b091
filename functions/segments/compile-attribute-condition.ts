import { isDateValue, parseDateValue, resolveDateValue, utcDate } from './date-value';
import type { ProfileItem, SegmentField } from './segment-fields';
import type { AttributeOp, AttributeRule, Scalar } from './segment-rule';

// An attribute leaf as a predicate on a profile item, with its constants (dates, sets, lower-cased
// texts) worked out once.
//
// A missing value (absent, null, an empty list, or a custom attribute of another JSON type than the
// rule's value) matches no comparison: not eq, in, gt, lt, before, after or contains. The negative
// ops are the exact complements of the positive ones, so it matches ne, notIn and notExists:
// `country ne "GB"` includes profiles without a country, as Braze and Dittofeed do; for "has a
// country and it is not GB" write `all` of `country exists` and `country ne "GB"`. Note that
// `not {gt 5}` therefore differs from `lte 5` on a missing value (it includes it).
// Counters of the purchase aggregates read 0 when missing (segment-fields.ts), so they are never
// missing. Text `contains` ignores case; eq and in compare exactly (after the field's own
// normalisation of the rule's value, such as upper-case country codes).

type Test = (value: unknown) => boolean;

const NEGATION: Partial<Record<AttributeOp, AttributeOp>> = { ne: 'eq', notIn: 'in', notExists: 'exists' };

/** ISO-looking strings only: Date.parse also reads "1" or "May 5" as dates, which attributes are not. */
const ISO_START = /^\d{4}-\d{2}-\d{2}/;
const instantOf = (v: unknown): number =>
  typeof v === 'string' && ISO_START.test(v) ? Date.parse(v) : Number.NaN;

const exists: Test = (v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

const range = (op: AttributeOp, bound: number, of: (v: unknown) => number): Test => {
  switch (op) {
    case 'gt':
    case 'after':
      return (v) => of(v) > bound;
    case 'gte':
      return (v) => of(v) >= bound;
    case 'lt':
    case 'before':
      return (v) => of(v) < bound;
    default:
      return (v) => of(v) <= bound;
  }
};

const textRange = (op: AttributeOp, bound: string): Test => {
  switch (op) {
    case 'gt':
    case 'after':
      return (v) => typeof v === 'string' && v > bound;
    case 'gte':
      return (v) => typeof v === 'string' && v >= bound;
    case 'lt':
    case 'before':
      return (v) => typeof v === 'string' && v < bound;
    case 'eq':
      return (v) => v === bound;
    default:
      return (v) => typeof v === 'string' && v <= bound;
  }
};

const numberOf = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

const instantBound = (value: Scalar, nowMs: number): number => {
  const date = parseDateValue(value);
  if (!isDateValue(date)) throw new Error(`not a date value: ${String(value)}`);
  return resolveDateValue(date, nowMs);
};

/** The test of a positive op (eq, in, gt, ..., contains, exists) for the field's type. */
const positive = (
  field: SegmentField,
  op: AttributeOp,
  value: AttributeRule['value'],
  nowMs: number,
): Test => {
  if (op === 'exists') return exists;
  if (op === 'in') {
    const set = new Set<unknown>(value as readonly Scalar[]);
    return field.type === 'string-list'
      ? (v) => Array.isArray(v) && v.some((x) => set.has(x))
      : (v) => set.has(v);
  }
  if (op === 'contains') {
    if (field.type === 'string-list') return (v) => Array.isArray(v) && v.includes(value);
    const needle = String(value).toLowerCase();
    return (v) => typeof v === 'string' && v.toLowerCase().includes(needle);
  }
  const scalar = value as Scalar;
  if (field.type === 'date') return textRange(op, utcDate(instantBound(scalar, nowMs)));
  if (op === 'eq') return (v) => v === scalar;
  if (field.type === 'date-time') return range(op, instantBound(scalar, nowMs), instantOf);
  if (typeof scalar === 'number') return range(op, scalar, numberOf);
  // before / after, or a range on a custom attribute with a date value.
  return range(op, instantBound(scalar, nowMs), instantOf);
};

/** The predicate of a valid attribute leaf on `field` at the instant `nowMs`. */
export const compileAttributeCondition = (
  rule: AttributeRule,
  field: SegmentField,
  nowMs: number,
): ((profile: ProfileItem) => boolean) => {
  const negated = NEGATION[rule.op];
  const test = positive(field, negated ?? rule.op, rule.value, nowMs);
  const read = field.read;
  if (field.zeroWhenMissing) {
    const readZero = (p: ProfileItem) => read(p) ?? 0;
    return negated ? (p) => !test(readZero(p)) : (p) => test(readZero(p));
  }
  return negated ? (p) => !test(read(p)) : (p) => test(read(p));
};
