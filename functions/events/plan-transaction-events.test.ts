import { describe, expect, it } from 'vitest';
import { type PlannedRow, planTransactionEvents } from './plan-transaction-events';
import type { StoredEvent } from './stored-event';
import type { TransactionValue } from './transaction-value';

const value = (amount: number, extra: Partial<TransactionValue> = {}): TransactionValue => ({
  customer: { externalId: '7' },
  type: 'purchase',
  timestamp: '1997-01-01T00:00:00.000Z',
  amount,
  currency: 'USD',
  ...extra,
});
const row = (n: number, v: TransactionValue, profileId = 'p1'): PlannedRow => ({
  row: n,
  profileId,
  value: v,
  rate: 1,
});
const ctx = (importId: string) => ({
  importId,
  now: '2026-01-01T00:00:00.000Z',
  source: 'cdnow',
  baseCurrency: 'USD',
});

/** The stored state after writing `writes` over `state`. */
const apply = (state: Map<string, Map<string, StoredEvent>>, writes: StoredEvent[]) => {
  for (const w of writes) {
    const events = state.get(w.profileId) ?? new Map<string, StoredEvent>();
    events.set(w.eventId, w);
    state.set(w.profileId, events);
  }
  return state;
};
const ids = (state: Map<string, Map<string, StoredEvent>>, profileId = 'p1') =>
  [...(state.get(profileId)?.keys() ?? [])].sort();

describe('planTransactionEvents', () => {
  it('keeps identical rows of one file as separate events, and a different row apart', () => {
    const rows = [row(1, value(10)), row(2, value(10)), row(3, value(11))];
    const plan = planTransactionEvents(rows, new Map(), ctx('imp_a'));
    expect(plan.outcomes).toEqual(['recorded', 'recorded', 'recorded']);
    expect(plan.writes).toHaveLength(3);
    const [first, second, third] = plan.writes.map((w) => w.eventId);
    expect(first).toMatch(/^tx:[A-Za-z0-9_-]{32}:0$/);
    expect(second).toBe(first!.replace(/:0$/, ':1'));
    expect(third).toMatch(/:0$/);
    expect(third).not.toBe(first);
    expect(plan.writes[0]).toMatchObject({
      profileId: 'p1',
      eventKey: `EVENT#${first}`,
      type: 'purchase',
      at: '1997-01-01T00:00:00.000Z',
      properties: { amount: 10, currency: 'USD' },
      source: 'cdnow',
      fx: { base: 'USD', rate: 1 },
      rows: ['imp_a:1'],
    });
  });

  it('re-planning a chunk on the state a partial commit left changes nothing and adds nothing', () => {
    const rows = [row(1, value(10)), row(2, value(10)), row(3, value(10)), row(4, value(12))];
    const first = planTransactionEvents(rows, new Map(), ctx('imp_a'));
    // Only the 2nd and 4th writes landed before the crash.
    const state = apply(new Map(), [first.writes[1]!, first.writes[3]!]);
    const again = planTransactionEvents(rows, state, ctx('imp_a'));
    apply(state, again.writes);
    expect(ids(state)).toEqual(first.writes.map((w) => w.eventId).sort());
    const third = planTransactionEvents(rows, state, ctx('imp_a'));
    expect(third.writes).toEqual([]);
    expect(third.outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
  });

  it('does not double count a transaction re-sent in a later file, but counts its extra copies', () => {
    const state = apply(
      new Map(),
      planTransactionEvents([row(1, value(10))], new Map(), ctx('imp_a')).writes,
    );
    const later = planTransactionEvents([row(5, value(10)), row(9, value(10))], state, ctx('imp_b'));
    expect(later.outcomes).toEqual(['duplicate', 'recorded']);
    apply(state, later.writes);
    expect(ids(state)).toHaveLength(2);
    const claimed = [...state.get('p1')!.values()].find((e) => e.eventId.endsWith(':0'))!;
    expect(claimed.rows).toEqual(['imp_a:1', 'imp_b:5']);
    // Re-applying the later file is still idempotent.
    expect(planTransactionEvents([row(5, value(10)), row(9, value(10))], state, ctx('imp_b')).writes).toEqual(
      [],
    );
  });

  it('uses the row eventId when there is one, a duplicate when the profile has it', () => {
    const state = apply(
      new Map(),
      planTransactionEvents([row(1, value(3, { eventId: 'line-1' }))], new Map(), ctx('imp_a')).writes,
    );
    expect(ids(state)).toEqual(['line-1']);
    const plan = planTransactionEvents(
      [
        row(1, value(3, { eventId: 'line-1' })),
        row(2, value(4, { eventId: 'line-2' })),
        row(3, value(4, { eventId: 'line-2' })),
      ],
      state,
      ctx('imp_b'),
    );
    expect(plan.outcomes).toEqual(['duplicate', 'recorded', 'duplicate']);
    expect(plan.writes.map((w) => w.eventId)).toEqual(['line-2']);
  });

  it('keeps equal content of different customers in their own profiles', () => {
    const plan = planTransactionEvents([row(1, value(10)), row(2, value(10), 'p2')], new Map(), ctx('imp_a'));
    expect(plan.outcomes).toEqual(['recorded', 'recorded']);
    expect(plan.writes.map((w) => w.profileId)).toEqual(['p1', 'p2']);
    expect(plan.writes[0]!.eventId).toBe(plan.writes[1]!.eventId);
  });

  it('records order, line and refund details the aggregates read', () => {
    const plan = planTransactionEvents(
      [
        row(
          1,
          value(5, {
            type: 'refund',
            orderId: 'o-9',
            sku: 'cd-1',
            category: 'rock',
            quantity: 2,
            channel: 'web',
          }),
        ),
      ],
      new Map(),
      ctx('imp_a'),
    );
    expect(plan.writes[0]).toMatchObject({
      type: 'refund',
      properties: {
        amount: 5,
        currency: 'USD',
        orderId: 'o-9',
        quantity: 2,
        items: [{ sku: 'cd-1', category: 'rock', quantity: 2 }],
        channel: 'web',
      },
    });
  });
});
