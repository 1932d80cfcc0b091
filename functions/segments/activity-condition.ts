import { type ActivitySummary, propertyKey } from './activity-summary';
import { DAY_MS, type Duration, isUnderADay, parseDuration, shiftInstant, utcDay } from './duration';
import type { CountCondition, CountOp, EventRule } from './segment-rule';

// Answers `did / didNot / within / count / where` from an activity summary.
//
// Windows have day resolution, as the summary counts per UTC day: `within: P30D` counts the events
// from the start of the UTC day of (now - 30 days) on, so up to a day more than 30 x 24 hours.
// A window under a day (`PT12H`) is exact instead: it is answered from the last time alone
// (`did` only; a count needs days). A window has no end: an event stamped after `now` is in it.
//
// `did` means at least once; with a count, at least once and the count holds (`did, count lt 3`
// is once or twice). `didNot` is the exact complement of the same `did`. Counts are exact for
// windows that start inside the kept daily counts, or before the key's first event; a window
// reaching further back than a very busy profile's kept days counts only the kept days.

export interface ActivityWindow {
  /** The first instant in the window (ms): the start of a UTC day, or exact for windows under a day. */
  readonly sinceMs: number;
  /** Its UTC day, for day counts; undefined for windows under a day. */
  readonly sinceDay?: number;
}

/** The window `within` spans at `nowMs`. */
export const activityWindow = (within: Duration, nowMs: number): ActivityWindow => {
  const since = shiftInstant(nowMs, within, -1);
  if (isUnderADay(within)) return { sinceMs: since };
  const sinceDay = utcDay(since);
  return { sinceMs: sinceDay * DAY_MS, sinceDay };
};

/** Epoch ms of the key's last event, or undefined. */
export const lastActivity = (summary: ActivitySummary | undefined, key: string): number | undefined =>
  summary?.keys[key]?.last;

/** Events under the key on or after day `sinceDay` (all of them without a day). */
export const countActivity = (
  summary: ActivitySummary | undefined,
  key: string,
  sinceDay?: number,
): number => {
  const k = summary?.keys[key];
  if (!k) return 0;
  if (sinceDay === undefined || sinceDay <= utcDay(k.first)) return k.total;
  let n = 0;
  const days = k.days;
  for (let i = days.length - 2; i >= 0 && days[i]! >= sinceDay; i -= 2) n += days[i + 1]!;
  // Folded days can hide events in the window; the last time still proves one.
  return n === 0 && k.last >= sinceDay * DAY_MS ? 1 : n;
};

const COMPARE: Readonly<Record<CountOp, (n: number, bound: number) => boolean>> = {
  gte: (n, b) => n >= b,
  gt: (n, b) => n > b,
  lte: (n, b) => n <= b,
  lt: (n, b) => n < b,
  eq: (n, b) => n === b,
};

/** The one comparison of a count condition. */
export const countComparison = (count: CountCondition): { op: CountOp; bound: number } => {
  const entries = Object.entries(count) as [CountOp, number][];
  if (entries.length !== 1) throw new Error('a count holds exactly one comparison');
  return { op: entries[0]![0], bound: entries[0]![1] };
};

/** The summary keys an event rule reads: the type, or one per `where` value. */
export const keysOfEventRule = (rule: Pick<EventRule, 'event' | 'where'>): string[] => {
  const where = rule.where?.[0];
  if (!where) return [rule.event];
  const values = typeof where.value === 'string' ? [where.value] : where.value;
  return [...new Set(values)].map((v) => propertyKey(rule.event, where.property, v));
};

export type ActivityPredicate = (summary: ActivitySummary | undefined) => boolean;

/**
 * The predicate of an event rule at `now`, with its keys and window worked out once. The rule is
 * a valid one (parseSegmentRule): one `where` condition at most, a count only with a window of a
 * day or more.
 */
export const compileActivityCondition = (
  rule: Omit<EventRule, 'op'> & { readonly op: 'did' | 'didNot' },
  now: Date,
): ActivityPredicate => {
  const keys = keysOfEventRule(rule);
  const duration = rule.within === undefined ? undefined : parseDuration(rule.within);
  if (rule.within !== undefined && !duration) throw new Error(`bad duration ${rule.within}`);
  const window = duration ? activityWindow(duration, now.getTime()) : undefined;
  const negate = rule.op === 'didNot';

  let did: ActivityPredicate;
  if (!rule.count) {
    const since = window?.sinceMs ?? Number.NEGATIVE_INFINITY;
    const recent = (s: ActivitySummary | undefined, key: string) => {
      const k = s?.keys[key];
      return k !== undefined && k.last >= since;
    };
    const only = keys[0]!;
    did = keys.length === 1 ? (s) => recent(s, only) : (s) => keys.some((key) => recent(s, key));
  } else {
    if (window && window.sinceDay === undefined) throw new Error('a count needs a window of a day or more');
    const { op, bound } = countComparison(rule.count);
    const compare = COMPARE[op];
    const sinceDay = window?.sinceDay;
    did = (s) => {
      let n = 0;
      for (const key of keys) n += countActivity(s, key, sinceDay);
      return n >= 1 && compare(n, bound);
    };
  }
  return negate ? (s) => !did(s) : did;
};

/** One event rule answered from a summary at `now` (compileActivityCondition for many profiles). */
export const answerActivityCondition = (
  summary: ActivitySummary | undefined,
  rule: Parameters<typeof compileActivityCondition>[0],
  now: Date,
): boolean => compileActivityCondition(rule, now)(summary);
