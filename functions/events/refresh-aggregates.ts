import type { CurrencyRates } from './currency-rates';
import type { EventLog } from './event-log';
import type { ProfileActivity, ProfileAggregateStore } from './profile-aggregate-store';
import { computePurchaseAggregates } from './purchase-aggregates';
import { MONEY_TYPES } from './stored-event';

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
 * Brings a profile's event-derived fields up to date after new events were written for it:
 * `purchases` recomputed from all its purchase and refund events (when `purchases` is set),
 * `lastPurchaseAt` and `lastActivityAt` raised to the latest purchase and to `latestActivity`, never
 * lowered (clients and profile imports may have set them from elsewhere). The profile is read
 * before its events, and written with compare-and-set: a concurrent refresh that saw more events
 * makes this one start again, so the last write always counts every event written before it.
 * Idempotent: refreshing twice changes nothing. 'gone' when the profile was erased meanwhile.
 */
export const refreshAggregates = async (
  deps: AggregateDeps,
  profileId: string,
  change: { readonly purchases: boolean; readonly latestActivity?: string },
): Promise<'updated' | 'unchanged' | 'gone'> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await deps.activity.read(profileId);
    if (!current) return 'gone';
    const purchases = change.purchases
      ? computePurchaseAggregates(await deps.events.list(profileId, { types: MONEY_TYPES }), deps)
      : current.purchases;
    const lastPurchaseAt = laterOf(current.lastPurchaseAt, purchases?.lastPurchaseAt);
    const next: ProfileActivity = {
      ...(purchases ? { purchases } : {}),
      ...(lastPurchaseAt ? { lastPurchaseAt } : {}),
      ...(() => {
        const last = laterOf(
          laterOf(current.lastActivityAt, change.latestActivity),
          purchases?.lastPurchaseAt,
        );
        return last ? { lastActivityAt: last } : {};
      })(),
    };
    if (same(next, current)) return 'unchanged';
    if (await deps.activity.write(profileId, current, next)) return 'updated';
    if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
  }
  throw new Error(`the aggregates of profile ${profileId} kept changing concurrently`);
};
