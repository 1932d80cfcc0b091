import { describe, expect, it } from 'vitest';
import { type AggregateEvent, computePurchaseAggregates } from './purchase-aggregates';

const base = { baseCurrency: 'USD', rates: { EUR: 1.1, JPY: 0.0067 } };

let n = 0;
const purchase = (
  at: string,
  amount: number,
  extra: Record<string, unknown> = {},
  eventId = `e${n++}`,
): AggregateEvent => ({
  eventId,
  type: 'purchase',
  at,
  properties: { amount, currency: 'USD', ...extra },
});
const refund = (at: string, amount: number, extra: Record<string, unknown> = {}): AggregateEvent => ({
  eventId: `r${n++}`,
  type: 'refund',
  at,
  properties: { amount, currency: 'USD', ...extra },
});

describe('computePurchaseAggregates', () => {
  it('is empty without purchases, and ignores other event types', () => {
    const result = computePurchaseAggregates(
      [{ eventId: 'v', type: 'visit', at: '2026-01-01T00:00:00.000Z' }],
      base,
    );
    expect(result).toEqual({
      currency: 'USD',
      eventCount: 0,
      orders: 0,
      occasions: 0,
      totalSpend: 0,
      averageSpend: 0,
      refunds: 0,
      refundedAmount: 0,
      categories: {},
    });
  });

  it('counts several lines of one order and several orders on one UTC day as one occasion', () => {
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T10:00:00.000Z', 10, { orderId: 'A' }),
        purchase('2026-03-01T10:00:01.000Z', 5.5, { orderId: 'A' }),
        purchase('2026-03-01T23:59:59.999Z', 4.5, { orderId: 'B' }),
        purchase('2026-03-02T00:00:00.000Z', 20, { orderId: 'C' }),
      ],
      base,
    );
    expect(result).toMatchObject({
      eventCount: 4,
      orders: 3,
      occasions: 2,
      totalSpend: 40,
      averageSpend: 20,
      firstPurchaseAt: '2026-03-01T10:00:00.000Z',
      lastPurchaseAt: '2026-03-02T00:00:00.000Z',
    });
  });

  it('reads the day in UTC, whatever the offset the sender wrote', () => {
    // 23:30 at -02:00 is 01:30 UTC the next day: two UTC days, two occasions.
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T12:00:00.000Z', 1),
        purchase(new Date('2026-03-01T23:30:00-02:00').toISOString(), 1),
      ],
      base,
    );
    expect(result.occasions).toBe(2);
  });

  it('counts a duplicate eventId once', () => {
    const once = purchase('2026-03-01T10:00:00.000Z', 10, { orderId: 'A' }, 'same');
    const result = computePurchaseAggregates([once, { ...once }, once], base);
    expect(result).toMatchObject({ eventCount: 1, totalSpend: 10, occasions: 1, orders: 1 });
  });

  it('sums money exactly in minor units', () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      purchase(`2026-03-0${(i % 9) + 1}T00:00:00.000Z`, 0.1),
    );
    expect(computePurchaseAggregates(events, base).totalSpend).toBe(1);
  });

  it('gives the same result whatever the order of the events', () => {
    const events = [
      purchase('2026-03-05T10:00:00.000Z', 30, {
        orderId: 'X',
        items: [{ sku: 'a', category: 'cd', quantity: 1, price: 30 }],
      }),
      refund('2026-03-06T10:00:00.000Z', 10, { orderId: 'X' }),
      purchase('2026-01-05T10:00:00.000Z', 12.34, { orderId: 'Y' }),
      refund('2026-03-07T10:00:00.000Z', 5, { orderId: 'Z' }),
      purchase('2026-02-05T10:00:00.000Z', 7, { orderId: 'Z' }),
    ];
    const forward = computePurchaseAggregates(events, base);
    expect(computePurchaseAggregates([...events].reverse(), base)).toEqual(forward);
    expect(forward).toMatchObject({
      totalSpend: 34.34,
      occasions: 3,
      firstPurchaseAt: '2026-01-05T10:00:00.000Z',
      lastPurchaseAt: '2026-03-05T10:00:00.000Z',
      refunds: 2,
      refundedAmount: 15,
    });
  });

  it('drops an order refunded to zero from occasions, orders, categories and purchase dates', () => {
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T10:00:00.000Z', 25, {
          orderId: 'A',
          items: [{ sku: 's', category: 'books', quantity: 1, price: 25 }],
        }),
        purchase('2026-03-09T10:00:00.000Z', 40, {
          orderId: 'B',
          items: [{ sku: 't', category: 'toys', quantity: 2, price: 20 }],
        }),
        refund('2026-03-10T10:00:00.000Z', 40, { orderId: 'B' }),
      ],
      base,
    );
    expect(result).toMatchObject({
      orders: 1,
      occasions: 1,
      totalSpend: 25,
      averageSpend: 25,
      lastPurchaseAt: '2026-03-01T10:00:00.000Z',
      refunds: 1,
      refundedAmount: 40,
      categories: { books: { spend: 25, count: 1 }, toys: { spend: 0, count: 0 } },
    });
  });

  it('keeps a partly refunded order and its occasion; refund lines subtract from their category', () => {
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T10:00:00.000Z', 50, {
          orderId: 'A',
          items: [
            { sku: 's', category: 'books', quantity: 2, price: 10 },
            { sku: 't', category: 'toys', quantity: 1, price: 30 },
          ],
        }),
        refund('2026-03-02T10:00:00.000Z', 10, {
          orderId: 'A',
          items: [{ sku: 's', category: 'books', quantity: 1, price: 10 }],
        }),
      ],
      base,
    );
    expect(result).toMatchObject({
      orders: 1,
      occasions: 1,
      totalSpend: 40,
      categories: { books: { spend: 10, count: 1 }, toys: { spend: 30, count: 1 } },
    });
  });

  it('spreads a refund without lines over the order categories in proportion', () => {
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T10:00:00.000Z', 40, {
          orderId: 'A',
          items: [
            { sku: 's', category: 'books', quantity: 1, price: 30 },
            { sku: 't', category: 'toys', quantity: 1, price: 10 },
          ],
        }),
        refund('2026-03-02T10:00:00.000Z', 20, { orderId: 'A' }),
      ],
      base,
    );
    expect(result.categories).toEqual({ books: { spend: 15, count: 1 }, toys: { spend: 5, count: 1 } });
    expect(result.totalSpend).toBe(20);
  });

  it('a refund of an unknown order lowers the spend but no occasion', () => {
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T10:00:00.000Z', 30, { orderId: 'A' }),
        refund('2026-03-02T10:00:00.000Z', 5, { orderId: 'gone' }),
      ],
      base,
    );
    expect(result).toMatchObject({ totalSpend: 25, occasions: 1, orders: 1, averageSpend: 25 });
  });

  it('converts other currencies with the recorded rate first, else the configured one', () => {
    const result = computePurchaseAggregates(
      [
        purchase('2026-03-01T10:00:00.000Z', 10, { currency: 'EUR' }),
        { ...purchase('2026-03-02T10:00:00.000Z', 10, { currency: 'EUR' }), fx: { base: 'USD', rate: 1.2 } },
        // Recorded for another base currency: the configured rate applies.
        { ...purchase('2026-03-03T10:00:00.000Z', 10, { currency: 'EUR' }), fx: { base: 'GBP', rate: 0.9 } },
        purchase('2026-03-04T10:00:00.000Z', 1000, { currency: 'JPY' }),
        purchase('2026-03-05T10:00:00.000Z', 10, { currency: 'CHF' }),
      ],
      base,
    );
    expect(result).toMatchObject({
      totalSpend: 11 + 12 + 11 + 6.7,
      occasions: 4,
      eventCount: 5,
      unconverted: 1,
    });
  });

  it('keeps a zero-amount purchase (never refunded) as an occasion', () => {
    expect(computePurchaseAggregates([purchase('2026-03-01T10:00:00.000Z', 0)], base)).toMatchObject({
      occasions: 1,
      orders: 1,
      totalSpend: 0,
    });
  });

  it('reports a category line without price at the event amount when it is the only line', () => {
    const result = computePurchaseAggregates(
      [purchase('2026-03-01T10:00:00.000Z', 9.99, { items: [{ sku: 'x', category: 'cd', quantity: 3 }] })],
      base,
    );
    expect(result.categories).toEqual({ cd: { spend: 9.99, count: 1 } });
  });
});
