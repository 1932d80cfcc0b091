import { setTimeout as sleep } from 'node:timers/promises';
import { type ActivityEvent, recordActivity } from '../segments/activity-summary';
import type { CurrencyRates } from './currency-rates';
import type { EventLog } from './event-log';
import type { ProfileActivity, ProfileAggregateStore } from './profile-aggregate-store';
import { type AggregateEvent, computePurchaseAggregates } from './purchase-aggregates';
import { MONEY_TYPES, type StoredEvent } from './stored-event';

export interface AggregateDeps {
  readonly events: EventLog;
  readonly activity: ProfileAggregateStore;
  readonly baseCurrency: string;
  readonly rates: CurrencyRates;
}

const MAX_ATTEMPTS = 8;

/** The later of two instants; the stored text is kept when it is not earlier. */
export const laterOf = (stored: string | undefined, candidate: string | undefined): string | undefined => {
  if (candidate === undefined) return stored;
  if (stored === undefined || !(Date.parse(stored) >= Date.parse(candidate))) return candidate;
  return stored;
};

/** JSON with sorted keys: DynamoDB gives maps back in any order. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * What a profile's event-derived fields become: `purchases` recomputed from all its purchase and
 * refund events (when `events` is given, else kept), `lastPurchaseAt` and `lastActivityAt` raised to
 * the latest purchase and to `latestActivity`, never lowered (clients and profile imports may have
 * set them from elsewhere). Pure.
 */
export const nextActivity = (
  current: ProfileActivity,
  events: readonly AggregateEvent[] | undefined,
  latestActivity: string | undefined,
  options: { readonly baseCurrency: string; readonly rates: CurrencyRates },
  activity?: Pick<ProfileActivity, 'activity' | 'activityCount'>,
): ProfileActivity => {
  const purchases = events ? computePurchaseAggregates(events, options) : current.purchases;
  const summary = activity ?? current;
  const lastPurchaseAt = laterOf(current.lastPurchaseAt, purchases?.lastPurchaseAt);
  const lastActivityAt = laterOf(laterOf(current.lastActivityAt, latestActivity), purchases?.lastPurchaseAt);
  return {
    ...(purchases ? { purchases } : {}),
    ...(lastPurchaseAt ? { lastPurchaseAt } : {}),
    ...(lastActivityAt ? { lastActivityAt } : {}),
    ...(summary.activity ? { activity: summary.activity } : {}),
    ...(summary.activityCount !== undefined ? { activityCount: summary.activityCount } : {}),
  };
};

/** The activity summary of exactly `events` (every event of a profile: a recount). */
export const summariseActivity = (
  events: readonly ActivityEvent[],
): Required<Pick<ProfileActivity, 'activity' | 'activityCount'>> => ({
  activity: recordActivity(undefined, events),
  activityCount: events.length,
});

/** The summary with `added` (events new to the profile) counted, or a recount when that is unsafe. */
const addActivity = (
  current: ProfileActivity,
  added: readonly ActivityEvent[],
): Pick<ProfileActivity, 'activity' | 'activityCount'> =>
  added.length === 0
    ? current
    : {
        activity: recordActivity(current.activity, added),
        activityCount: (current.activityCount ?? 0) + added.length,
      };

/** What changed for a profile: the caller's writes. */
export interface ActivityChange {
  /** A purchase or refund was among the events written: the aggregates are recomputed. */
  readonly purchases: boolean;
  readonly latestActivity?: string;
  /** The events this call wrote that the profile did not have (its put succeeded). */
  readonly added?: readonly ActivityEvent[];
  /**
   * Some event of the call was already stored (a retry, a client resending): whether the summary
   * counted it cannot be told, so the summary is recounted from every event of the profile.
   */
  readonly sawStored?: boolean;
}

/**
 * Brings a profile's event-derived fields up to date after new events were written for it (see
 * `nextActivity`). The profile is read before its events, and written with compare-and-set: a
 * concurrent refresh that saw more events makes this one start again, so the last write always
 * counts every event written before it. Idempotent: refreshing twice changes nothing. `known` (the
 * profile's fields and events as read before the caller's writes, plus those writes) saves the two
 * reads of the first attempt; the compare-and-set still catches anything that changed meanwhile.
 * 'gone' when the profile was erased meanwhile.
 */
export const refreshAggregates = async (
  deps: AggregateDeps,
  profileId: string,
  change: ActivityChange,
  known?: { readonly current: ProfileActivity; readonly events: readonly AggregateEvent[] },
): Promise<'updated' | 'unchanged' | 'gone'> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const hint = attempt === 1 ? known : undefined;
    const current = hint ? hint.current : await deps.activity.read(profileId);
    if (!current) return 'gone';
    // Adding the new events to the summary is exact only on the profile as read before they were
    // written (`known`, whose compare-and-set fails if anyone wrote since) and when no event of the
    // call was there already; otherwise every event of the profile is counted again.
    const incremental = hint !== undefined && current.activityCount !== undefined && !change.sawStored;
    const all: StoredEvent[] | undefined = incremental ? undefined : await deps.events.list(profileId);
    const events = !change.purchases
      ? undefined
      : all
        ? all.filter((e) => MONEY_TYPES.includes(e.type))
        : (hint?.events ?? (await deps.events.list(profileId, { types: MONEY_TYPES })));
    const activity = all ? summariseActivity(all) : addActivity(current, change.added ?? []);
    const next = nextActivity(current, events, change.latestActivity, deps, activity);
    if (same(next, current)) return 'unchanged';
    if (await deps.activity.write(profileId, current, next)) return 'updated';
    if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
  }
  throw new Error(`the aggregates of profile ${profileId} kept changing concurrently`);
};
