import { createHash } from 'node:crypto';
import { eventKeyOf, type StoredEvent } from './stored-event';
import type { TransactionValue } from './transaction-value';

export interface PlannedRow {
  /** The row's number in its file. */
  readonly row: number;
  readonly profileId: string;
  readonly value: TransactionValue;
  /** The rate of the row's currency to the base currency. */
  readonly rate: number;
}

export interface PlanContext {
  readonly importId: string;
  readonly now: string;
  readonly source: string;
  readonly baseCurrency: string;
}

/** The content of a transaction without an id of its own: equal content, equal hash. */
const contentHash = (v: TransactionValue): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        v.type,
        v.timestamp,
        v.amount,
        v.currency ?? '',
        v.orderId ?? '',
        v.quantity ?? '',
        v.sku ?? '',
        v.category ?? '',
      ]),
    )
    .digest('base64url')
    .slice(0, 32);

const toEvent = (r: PlannedRow, eventId: string, ctx: PlanContext, claim?: string): StoredEvent => {
  const v = r.value;
  const line = v.sku || v.category;
  return {
    profileId: r.profileId,
    eventKey: eventKeyOf(eventId),
    eventId,
    type: v.type,
    timestamp: v.timestamp,
    at: v.timestamp,
    properties: {
      amount: v.amount,
      currency: v.currency ?? ctx.baseCurrency,
      ...(v.orderId ? { orderId: v.orderId } : {}),
      ...(v.quantity !== undefined ? { quantity: v.quantity } : {}),
      ...(line
        ? {
            items: [
              {
                ...(v.sku ? { sku: v.sku } : {}),
                ...(v.category ? { category: v.category } : {}),
                quantity: v.quantity ?? 1,
              },
            ],
          }
        : {}),
      ...(v.channel ? { channel: v.channel } : {}),
    },
    receivedAt: ctx.now,
    source: ctx.source,
    fx: { base: ctx.baseCurrency, rate: r.rate },
    ...(claim ? { rows: [claim] } : {}),
  };
};

/**
 * Decides which event each transaction row is, in file order, against the events its profile
 * already has (`existing`, by profile, then eventId). Pure: the import's writes follow from it.
 *
 * - A row with an eventId is that event: a duplicate when the profile has it already.
 * - A row without one gets `tx:<hash of its content>:<k>`: the k-th row with that content in this
 *   file (k from 0). Each such event lists the rows that stand for it (`<importId>:<row>`), so:
 *   re-planning a chunk after a crash finds its own rows and changes nothing; identical rows in one
 *   file are separate events (the 2nd has k = 1); and the same transaction re-sent in a later file
 *   claims the event the earlier file wrote (a duplicate, counted once) instead of adding one.
 */
export const planTransactionEvents = (
  rows: readonly PlannedRow[],
  existing: ReadonlyMap<string, ReadonlyMap<string, StoredEvent>>,
  ctx: PlanContext,
): { outcomes: ('recorded' | 'duplicate')[]; writes: StoredEvent[] } => {
  const known = new Map<string, Map<string, StoredEvent>>();
  const eventsOf = (profileId: string) => {
    let events = known.get(profileId);
    if (!events) {
      events = new Map(existing.get(profileId) ?? []);
      known.set(profileId, events);
    }
    return events;
  };
  const writes = new Map<string, StoredEvent>();
  const outcomes = rows.map((r): 'recorded' | 'duplicate' => {
    const events = eventsOf(r.profileId);
    const put = (event: StoredEvent) => {
      events.set(event.eventId, event);
      writes.set(`${r.profileId}\n${event.eventKey}`, event);
    };
    if (r.value.eventId) {
      if (events.has(r.value.eventId)) return 'duplicate';
      put(toEvent(r, r.value.eventId, ctx));
      return 'recorded';
    }
    const claim = `${ctx.importId}:${r.row}`;
    const ofThisFile = `${ctx.importId}:`;
    const hash = contentHash(r.value);
    for (let k = 0; ; k++) {
      const eventId = `tx:${hash}:${k}`;
      const found = events.get(eventId);
      if (!found) {
        put(toEvent(r, eventId, ctx, claim));
        return 'recorded';
      }
      const claims = found.rows ?? [];
      if (claims.includes(claim)) return 'duplicate';
      if (claims.some((c) => c.startsWith(ofThisFile))) continue;
      put({ ...found, rows: [...claims, claim] });
      return 'duplicate';
    }
  });
  return { outcomes, writes: [...writes.values()] };
};
