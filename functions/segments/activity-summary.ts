import { utcDay } from './duration';

// The per-profile activity summary that event and campaign conditions are answered from, so that
// evaluating a segment costs the same for a customer with ten events as for one with ten thousand.
// It is kept on the profile item (attribute `activity`) and updated as events arrive.
//
// Per key it holds: the total count, the first and last time (epoch ms, exact), and counts per
// UTC day from the summary's `from` day on; events on days before `from` are folded into one
// `earlier` count. Keys are the event type (`purchase`) and `type|property=value` for the
// properties in SUMMARISED_PROPERTIES (`purchase|category=books`, `message_sent|campaignId=c-1`).
//
// Bounds, so the item stays far below DynamoDB's 400 KB (the worst case is ~64 KB as JSON, a test
// builds it; a typical customer's is a few KB):
// - daily counts cover at most `windowDays` (400) days back from the latest event's day;
// - at most `maxDayEntries` (3,000) day counts over all keys: beyond that the oldest whole days
//   are folded into `earlier` (only very busy profiles get there; their windows then start later);
// - at most `maxKeys` (200) keys: beyond that the least recently active keys are dropped, property
//   keys before event-type keys, and what was dropped is counted in `dropped`;
// - property values longer than 64 characters are not summarised.
//
// Order: `from` only moves forward, and only as a function of the events recorded, so recording
// the same set of events in any order and in any batches gives the same summary, as long as no key
// was dropped (a dropped key that becomes active again starts over). The caller records each event
// once (the event log's `attribute_not_exists` write tells it which events are new).

export const SUMMARISED_PROPERTIES = ['category', 'channel', 'campaignId', 'variant', 'kind'] as const;
export type SummarisedProperty = (typeof SUMMARISED_PROPERTIES)[number];

/**
 * Properties an event can hold several values of: `category` is read from `properties.category`
 * and from every `properties.items[].category`, so a purchase of a book and a record counts once
 * for `category=books` and once for `category=music`.
 */
export const MULTI_VALUED_PROPERTIES: ReadonlySet<string> = new Set(['category']);

export const MAX_SUMMARISED_VALUE_LENGTH = 64;

export interface ActivityOptions {
  readonly windowDays?: number;
  readonly maxKeys?: number;
  readonly maxDayEntries?: number;
}

export const DEFAULT_ACTIVITY_OPTIONS: Required<ActivityOptions> = {
  windowDays: 400,
  maxKeys: 200,
  maxDayEntries: 3000,
};

export interface KeyActivity {
  /** Every event recorded under the key. */
  readonly total: number;
  /** Epoch ms of the first and the last event. */
  readonly first: number;
  readonly last: number;
  /** Events on days before the summary's `from`. */
  readonly earlier: number;
  /** `[day, count, day, count, ...]`, UTC day numbers (days since 1970-01-01) ascending, each >= `from`. */
  readonly days: readonly number[];
}

export interface ActivitySummary {
  readonly version: 1;
  /** The first UTC day number with daily counts. */
  readonly from: number;
  readonly keys: Readonly<Record<string, KeyActivity>>;
  /** Keys dropped over the key cap, and the events they held. */
  readonly dropped?: { readonly keys: number; readonly events: number };
}

/** The attribute of the profile item that holds the summary. */
export const ACTIVITY_ATTRIBUTE = 'activity';

export interface ActivityEvent {
  readonly type: string;
  /** ISO 8601 date-time. */
  readonly at: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export const propertyKey = (type: string, property: string, value: string): string =>
  `${type}|${property}=${value}`;

const summarisable = (v: unknown): v is string =>
  typeof v === 'string' && v !== '' && v.length <= MAX_SUMMARISED_VALUE_LENGTH;

/** The keys an event counts under: its type, and one per distinct value of each summarised property. */
export const activityKeysOf = (event: ActivityEvent): string[] => {
  const keys = [event.type];
  const p = event.properties;
  if (!p) return keys;
  for (const property of SUMMARISED_PROPERTIES) {
    const values = new Set<string>();
    if (summarisable(p[property])) values.add(p[property]);
    if (MULTI_VALUED_PROPERTIES.has(property) && Array.isArray(p.items))
      for (const item of p.items as unknown[]) {
        const v =
          item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[property] : undefined;
        if (summarisable(v)) values.add(v);
      }
    for (const v of [...values].sort()) keys.push(propertyKey(event.type, property, v));
  }
  return keys;
};

interface Working {
  total: number;
  first: number;
  last: number;
  earlier: number;
  days: Map<number, number>;
}

const isTypeKey = (key: string) => !key.includes('|');

/**
 * The summary with `events` added. Pure; the same options must be used for every call on a summary.
 * Throws on an event whose time is not a date-time (events are validated before they are stored).
 */
export const recordActivity = (
  summary: ActivitySummary | undefined,
  events: readonly ActivityEvent[],
  options: ActivityOptions = {},
): ActivitySummary => {
  const { windowDays, maxKeys, maxDayEntries } = { ...DEFAULT_ACTIVITY_OPTIONS, ...options };
  let from = summary?.from ?? Number.NEGATIVE_INFINITY;
  const keys = new Map<string, Working>();
  for (const [key, k] of Object.entries(summary?.keys ?? {})) {
    const days = new Map<number, number>();
    for (let i = 0; i < k.days.length; i += 2) days.set(k.days[i]!, k.days[i + 1]!);
    keys.set(key, { total: k.total, first: k.first, last: k.last, earlier: k.earlier, days });
  }

  for (const event of events) {
    const ms = Date.parse(event.at);
    if (Number.isNaN(ms))
      throw new Error(`activity event of type ${event.type} has no valid time: ${event.at}`);
    const day = utcDay(ms);
    for (const key of activityKeysOf(event)) {
      let k = keys.get(key);
      if (!k) {
        k = { total: 0, first: ms, last: ms, earlier: 0, days: new Map() };
        keys.set(key, k);
      }
      k.total++;
      if (ms < k.first) k.first = ms;
      if (ms > k.last) k.last = ms;
      if (day < from) k.earlier++;
      else k.days.set(day, (k.days.get(day) ?? 0) + 1);
    }
  }

  let dropped = summary?.dropped;
  if (keys.size > maxKeys) {
    const order = [...keys.entries()].sort(
      ([ka, a], [kb, b]) =>
        Number(isTypeKey(ka)) - Number(isTypeKey(kb)) || a.last - b.last || (ka < kb ? -1 : ka > kb ? 1 : 0),
    );
    let droppedKeys = dropped?.keys ?? 0;
    let droppedEvents = dropped?.events ?? 0;
    for (const [key, k] of order.slice(0, keys.size - maxKeys)) {
      keys.delete(key);
      droppedKeys++;
      droppedEvents += k.total;
    }
    dropped = { keys: droppedKeys, events: droppedEvents };
  }

  // The window: at most windowDays back from the latest day, and at most maxDayEntries day counts.
  let latest = Number.NEGATIVE_INFINITY;
  const entriesPerDay = new Map<number, number>();
  for (const k of keys.values()) {
    latest = Math.max(latest, utcDay(k.last));
    for (const day of k.days.keys()) entriesPerDay.set(day, (entriesPerDay.get(day) ?? 0) + 1);
  }
  if (latest > Number.NEGATIVE_INFINITY) from = Math.max(from, latest - windowDays + 1);
  let kept = 0;
  for (const day of [...entriesPerDay.keys()].sort((a, b) => b - a)) {
    if (day < from) break;
    kept += entriesPerDay.get(day)!;
    if (kept > maxDayEntries) {
      from = day + 1;
      break;
    }
  }

  const out: Record<string, KeyActivity> = {};
  for (const key of [...keys.keys()].sort()) {
    const k = keys.get(key)!;
    let earlier = k.earlier;
    const days: number[] = [];
    for (const day of [...k.days.keys()].sort((a, b) => a - b)) {
      const count = k.days.get(day)!;
      if (day < from) earlier += count;
      else days.push(day, count);
    }
    out[key] = { total: k.total, first: k.first, last: k.last, earlier, days };
  }
  return {
    version: 1,
    // An empty summary has no window yet; 0 is 1970-01-01, before any event it will meet.
    from: Number.isFinite(from) ? from : 0,
    keys: out,
    ...(dropped ? { dropped } : {}),
  };
};
