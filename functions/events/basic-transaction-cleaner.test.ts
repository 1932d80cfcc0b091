import { describe, expect, it } from 'vitest';
import type { CleanContext } from '../imports/row-processor';
import type { Manifest } from '../ingest/manifest';
import { basicTransactionCleaner } from './basic-transaction-cleaner';

const context = (manifest: Manifest = {}): CleanContext => ({
  importId: 'imp_x',
  manifest,
  defaultCountry: 'GB',
  source: { name: 'test', kind: 'internal' },
  now: '2026-01-01T00:00:00.000Z',
});

describe('basicTransactionCleaner', () => {
  it('reads a CDNOW row with the manifest date format and currency', () => {
    expect(
      basicTransactionCleaner(
        { externalId: '00001', date: '19970101', quantity: '1', amount: '11.77' },
        context({ dateFormat: 'YYYYMMDD', currency: 'USD' }),
      ),
    ).toEqual({
      value: {
        customer: { externalId: '00001' },
        type: 'purchase',
        timestamp: '1997-01-01T00:00:00.000Z',
        amount: 11.77,
        currency: 'USD',
        quantity: 1,
      },
      warnings: [],
    });
  });

  it('reads a negative amount as a refund and a date in the manifest time zone', () => {
    const cleaned = basicTransactionCleaner(
      { email: 'a@example.com', date: '2024-07-01', amount: '-1.234,50', orderId: 'o1' },
      context({ timeZone: 'Europe/London', decimalSeparator: ',' }),
    );
    expect(cleaned).toMatchObject({
      value: { type: 'refund', amount: 1234.5, timestamp: '2024-06-30T23:00:00.000Z', orderId: 'o1' },
    });
  });

  it('takes a date-time with its zone', () => {
    expect(
      basicTransactionCleaner(
        { phone: '07400123456', date: '2024-07-01T10:00:00+02:00', amount: '3' },
        context(),
      ),
    ).toMatchObject({ value: { timestamp: '2024-07-01T08:00:00.000Z' } });
  });

  it('gives every reason a row is refused', () => {
    expect(
      basicTransactionCleaner(
        { date: '19970231', amount: 'ten', quantity: '1.5', type: 'gift', eventId: 'a b' },
        context({ dateFormat: 'YYYYMMDD' }),
      ),
    ).toEqual({
      reasons: [
        'needs at least one of externalId, email or phone',
        'date: "19970231" is not a date in YYYYMMDD',
        'amount: "ten" is not a number',
        'type: "gift" is neither a purchase nor a refund',
        'quantity: must be a whole number above 0',
        'eventId: must be 1-128 of A-Z a-z 0-9 . _ : -',
      ],
    });
    expect(basicTransactionCleaner({ externalId: '1', amount: '1' }, context())).toEqual({
      reasons: ['date: is required'],
    });
  });
});
