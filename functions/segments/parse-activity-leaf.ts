import {
  DEFAULT_ACTIVITY_OPTIONS,
  MAX_SUMMARISED_VALUE_LENGTH,
  MULTI_VALUED_PROPERTIES,
  SUMMARISED_PROPERTIES,
} from './activity-summary';
import { isUnderADay, isZeroDuration, longestDays, parseDuration } from './duration';
import { didYouMean } from './nearest-names';
import { MAX_IN_VALUES } from './parse-attribute-leaf';
import { isPlainObject, listOf, onlyKeys, type RuleErrors } from './rule-errors';
import {
  type CampaignRule,
  COUNT_OPS,
  type CountCondition,
  type CountOp,
  type EventRule,
  type WhereCondition,
} from './segment-rule';

// Validation of the leaves answered from the activity summary: event and campaign leaves. What
// they may ask is what the summary can answer exactly: windows inside its kept days, counts only
// with windows of a day or more, `where` on one summarised property.

/** The longest `within`: the summary keeps daily counts for 400 days back from the latest event. */
export const MAX_WITHIN_DAYS = DEFAULT_ACTIVITY_OPTIONS.windowDays - 1;
export const MAX_COUNT = 1_000_000;
const EVENT_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** A `within` value checked: undefined when absent or bad (then an error was added). */
const checkWithin = (value: unknown, path: string, errors: RuleErrors): string | undefined => {
  if (typeof value !== 'string') return errors.add(path, 'must be an ISO 8601 duration such as P30D');
  const duration = parseDuration(value);
  if (!duration) return errors.add(path, `${value} is not an ISO 8601 duration such as P30D, PT12H or P1Y2M`);
  if (duration.sign !== 0)
    return errors.add(path, `within is a length of time back from now, without a sign: ${value.slice(1)}`);
  if (isZeroDuration(duration)) return errors.add(path, 'within must be longer than zero');
  if (longestDays(duration) > MAX_WITHIN_DAYS)
    return errors.add(
      path,
      `within is at most ${MAX_WITHIN_DAYS} days (P1Y, P12M or P${MAX_WITHIN_DAYS}D): daily activity is kept for ${DEFAULT_ACTIVITY_OPTIONS.windowDays} days; leave within out to count every event ever recorded`,
    );
  return value;
};

const checkCount = (value: unknown, op: 'did' | 'didNot', path: string, errors: RuleErrors) => {
  const entries = isPlainObject(value) ? Object.entries(value) : [];
  if (entries.length !== 1 || !(COUNT_OPS as readonly string[]).includes(entries[0]![0]))
    return errors.add(path, `a count is one comparison: {"gte": 2}, with ${listOf(COUNT_OPS)}`);
  const [countOp, bound] = entries[0]! as [CountOp, unknown];
  if (typeof bound !== 'number' || !Number.isInteger(bound) || bound < 0 || bound > MAX_COUNT)
    return errors.add(`${path}.${countOp}`, `must be a whole number from 0 to ${MAX_COUNT}`);
  // did means at least once: a count only zero satisfies would make the leaf constant.
  const onlyZero =
    (countOp === 'eq' && bound === 0) ||
    (countOp === 'lt' && bound <= 1) ||
    (countOp === 'lte' && bound === 0);
  if (onlyZero)
    return errors.add(
      path,
      op === 'did'
        ? `did means at least once, so did with ${countOp} ${bound} never matches; use didNot (without a count) for "never"`
        : `didNot with ${countOp} ${bound} matches everyone (did means at least once); use didNot without a count for "never"`,
    );
  return { [countOp]: bound } as CountCondition;
};

const checkWhere = (value: unknown, path: string, errors: RuleErrors): WhereCondition[] | undefined => {
  if (!Array.isArray(value) || value.length === 0)
    return errors.add(
      path,
      'where is a list with one condition, e.g. [{"property": "category", "op": "eq", "value": "books"}]',
    );
  if (value.length > 1)
    return errors.add(
      path,
      'where takes one condition: the activity summary counts each property on its own',
    );
  const at = `${path}[0]`;
  const c = value[0];
  if (!isPlainObject(c)) return errors.add(at, 'must be {"property": ..., "op": "eq" | "in", "value": ...}');
  const before = errors.count;
  onlyKeys(c, ['property', 'op', 'value'], at, 'a where condition', errors);
  const property = c.property;
  if (typeof property !== 'string' || !(SUMMARISED_PROPERTIES as readonly string[]).includes(property))
    errors.add(
      `${at}.property`,
      `the activity summary keeps no property ${String(property)}${typeof property === 'string' ? didYouMean(property, SUMMARISED_PROPERTIES) : ''}; where works on ${listOf(SUMMARISED_PROPERTIES)}`,
    );
  const text = (v: unknown, p: string): v is string => {
    if (typeof v === 'string' && v !== '' && v.length <= MAX_SUMMARISED_VALUE_LENGTH) return true;
    errors.add(
      p,
      `must be a text of 1-${MAX_SUMMARISED_VALUE_LENGTH} characters (longer values are not summarised)`,
    );
    return false;
  };
  let out: string | string[] | undefined;
  if (c.op === 'eq') {
    if (text(c.value, `${at}.value`)) out = c.value as string;
  } else if (c.op === 'in') {
    if (!Array.isArray(c.value) || c.value.length === 0 || c.value.length > MAX_IN_VALUES)
      errors.add(`${at}.value`, `in needs a list of 1-${MAX_IN_VALUES} texts`);
    else if (c.value.every((v, i) => text(v, `${at}.value[${i}]`))) out = [...new Set(c.value as string[])];
  } else errors.add(`${at}.op`, 'the op of a where condition is eq or in');
  if (errors.count > before || out === undefined) return undefined;
  return [{ property: property as string, op: c.op as 'eq' | 'in', value: out }];
};

/** The event leaf `node` at `path` checked, or undefined (errors added). */
export const parseEventLeaf = (
  node: Record<string, unknown>,
  path: string,
  errors: RuleErrors,
): EventRule | undefined => {
  const before = errors.count;
  onlyKeys(node, ['event', 'op', 'within', 'count', 'where'], path, 'an event leaf', errors);
  if (typeof node.event !== 'string' || !EVENT_TYPE.test(node.event))
    errors.add(
      `${path}.event`,
      'must be an event type: lower-case, e.g. purchase, visit, message_opened or a custom type',
    );
  const op = node.op;
  if (op !== 'did' && op !== 'didNot') errors.add(`${path}.op`, 'the op of an event leaf is did or didNot');
  const within = node.within === undefined ? undefined : checkWithin(node.within, `${path}.within`, errors);
  const count =
    node.count === undefined || (op !== 'did' && op !== 'didNot')
      ? undefined
      : checkCount(node.count, op, `${path}.count`, errors);
  const where = node.where === undefined ? undefined : checkWhere(node.where, `${path}.where`, errors);
  if (count && within && isUnderADay(parseDuration(within)!))
    errors.add(
      `${path}.count`,
      'a count needs within of a day or more (P1D): activity is counted per UTC day',
    );
  const w = where?.[0];
  if (count && w && MULTI_VALUED_PROPERTIES.has(w.property) && Array.isArray(w.value) && w.value.length > 1)
    errors.add(
      `${path}.count`,
      `counts over several values of ${w.property} are not kept (one event can hold several); count one ${w.property} per rule`,
    );
  if (errors.count > before) return undefined;
  return {
    event: node.event as string,
    op: op as 'did' | 'didNot',
    ...(within !== undefined ? { within } : {}),
    ...(count ? { count } : {}),
    ...(where ? { where } : {}),
  };
};

/** The campaign leaf `node` at `path` checked, or undefined (errors added). */
export const parseCampaignLeaf = (
  node: Record<string, unknown>,
  path: string,
  campaigns: ReadonlySet<string> | undefined,
  errors: RuleErrors,
): CampaignRule | undefined => {
  const before = errors.count;
  onlyKeys(node, ['campaign', 'op', 'within'], path, 'a campaign leaf', errors);
  const campaign = node.campaign;
  if (typeof campaign !== 'string' || campaign === '' || campaign.length > MAX_SUMMARISED_VALUE_LENGTH)
    errors.add(`${path}.campaign`, `must be a campaign id (1-${MAX_SUMMARISED_VALUE_LENGTH} characters)`);
  else if (campaigns && !campaigns.has(campaign))
    errors.add(`${path}.campaign`, `unknown campaign ${campaign}`);
  if (node.op !== 'received' && node.op !== 'notReceived')
    errors.add(`${path}.op`, 'the op of a campaign leaf is received or notReceived');
  const within = node.within === undefined ? undefined : checkWithin(node.within, `${path}.within`, errors);
  if (errors.count > before) return undefined;
  return {
    campaign: campaign as string,
    op: node.op as 'received' | 'notReceived',
    ...(within !== undefined ? { within } : {}),
  };
};
