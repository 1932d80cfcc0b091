import { describe, expect, it } from 'vitest';
import type { CleanContext } from '../imports/row-processor';
import { InMemoryEventLog, InMemoryProfiles, profileNamed } from './in-memory-stores.test-helpers';
import { ingestTransactionCleaner } from './ingest-transaction-cleaner';
import { eventKeyOf } from './stored-event';
import { TransactionRowProcessor } from './transaction-row-processor';
import { FUTURE_TOLERANCE_MS } from './validate-event';

const context: CleanContext = {
  importId: 'imp_1',
  manifest: { dateFormat: 'YYYYMMDD', currency: 'USD' },
  defaultCountry: 'GB',
  source: { name: 'shop', kind: 'internal' },
  now: '2026-01-01T00:00:00.000Z',
};

const world = () => {
  const events = new InMemoryEventLog();
  const profiles = new InMemoryProfiles();
  // B exists with an earlier purchase; C owns an email.
  profiles.profiles.set('B', profileNamed('B', { externalId: 'b-1', purchases: undefined }));
  profiles.markers.set('externalId#b-1', 'B');
  profiles.profiles.set('C', profileNamed('C', { email: 'c@example.com' }));
  profiles.markers.set('email#c@example.com', 'C');
  events.items.set(
    'B',
    new Map([
      [
        eventKeyOf('old'),
        {
          profileId: 'B',
          eventKey: eventKeyOf('old'),
          eventId: 'old',
          type: 'purchase',
          timestamp: '1996-12-01T00:00:00.000Z',
          at: '1996-12-01T00:00:00.000Z',
          properties: { orderId: 'x', amount: 1, currency: 'USD' },
          receivedAt: '1996-12-01T00:00:00.000Z',
          source: 'api',
        },
      ],
    ]),
  );
  const processor = new TransactionRowProcessor({
    events,
    activity: profiles,
    profiles,
    baseCurrency: 'USD',
    rates: { EUR: 1.1 },
    cleaner: ingestTransactionCleaner('USD'),
  });
  return { events, profiles, processor };
};

const records: Record<string, string>[] = [
  { externalId: 'a-1', date: '19970101', amount: '10.00', quantity: '2' },
  { externalId: 'a-1', date: '19970101', amount: '10.00', quantity: '2' },
  { externalId: 'b-1', date: '19970105', amount: '5.50' },
  { externalId: 'b-1', email: 'C@Example.com', date: '19970105', amount: '3' },
  { externalId: 'a-1', date: '19970201', amount: '-4', currency: 'EUR' },
];

const cleanAll = (processor: TransactionRowProcessor) =>
  records.map((fields, i) => {
    const cleaned = processor.clean(fields, context);
    if ('reasons' in cleaned) throw new Error(cleaned.reasons.join('; '));
    return { ref: { row: i + 1, line: i + 2, raw: '' }, value: cleaned.value };
  });

const snapshot = (w: ReturnType<typeof world>) => ({
  profiles: [...w.profiles.profiles.values()].sort((a, b) => a.profileId.localeCompare(b.profileId)),
  events: [...w.events.items].map(([id, p]) => [id, [...p.keys()].sort()]).sort(),
});

describe('TransactionRowProcessor', () => {
  it('cleans: normalises identifiers, refuses a currency without a rate and a future date', () => {
    const { processor } = world();
    expect(
      processor.clean({ email: ' Ann@Example.COM ', date: '20250101', amount: '1' }, context),
    ).toMatchObject({
      value: { customer: { email: 'ann@example.com' }, currency: 'USD' },
    });
    expect(
      processor.clean({ externalId: '1', date: '20250101', amount: '1', currency: 'JPY' }, context),
    ).toEqual({
      reasons: ['currency: JPY has no rate to the base currency USD (setting currencyRates)'],
      warnings: [],
    });
    expect(processor.clean({ externalId: '1', date: '20260102', amount: '1' }, context)).toEqual({
      reasons: [
        'date: 2026-01-02T00:00:00.000Z is in the future: purchases and refunds must have happened (5 minutes of clock skew are allowed)',
      ],
      warnings: [],
    });
  });

  it('rejects a row dated past the clock-skew tolerance after the import started, not one at it', () => {
    const { processor } = world();
    // context.now is the import's start: the clock every row of the import is judged against.
    const iso = { ...context, manifest: { currency: 'USD' } };
    const clean = (date: string, amount = '1') => processor.clean({ externalId: '1', date, amount }, iso);
    const at = (ms: number) => new Date(Date.parse(context.now) + ms).toISOString();
    expect(clean(at(FUTURE_TOLERANCE_MS))).toMatchObject({
      value: { timestamp: '2026-01-01T00:05:00.000Z' },
    });
    expect(clean('2025-12-31T23:59:59Z')).toMatchObject({ value: { type: 'purchase' } });
    expect(clean('2026-01-01T01:05:00+01:00', '-3')).toMatchObject({ value: { type: 'refund' } });
    expect(clean(at(FUTURE_TOLERANCE_MS + 1))).toEqual({
      reasons: [
        'date: 2026-01-01T00:05:00.001Z is in the future: purchases and refunds must have happened (5 minutes of clock skew are allowed)',
      ],
      warnings: [],
    });
    expect(clean('2026-01-01T01:05:00.001+01:00', '-3')).toMatchObject({
      reasons: [expect.stringMatching(/^date: 2026-01-01T00:05:00.001Z is in the future: /)],
    });
    // Far ahead: rejected for its date, not also listed as a warning.
    expect(clean('2030-01-01')).toEqual({
      reasons: [
        'date: 2030-01-01T00:00:00.000Z is in the future: purchases and refunds must have happened (5 minutes of clock skew are allowed)',
      ],
      warnings: [],
    });
  });

  it('creates profiles, records events, rejects conflicts and keeps every touched profile exact', async () => {
    const w = world();
    const prepared = await w.processor.prepare(cleanAll(w.processor), context);
    expect(prepared.outcomes.map((o) => o.outcome)).toEqual([
      'createdProfile',
      'recorded',
      'recorded',
      'rejected',
      'recorded',
    ]);
    expect(prepared.outcomes[3]).toMatchObject({
      reasons: ['conflict: email belongs to profile C, externalId belongs to profile B'],
    });
    await prepared.commit();
    const a = [...w.profiles.profiles.values()].find((p) => p.externalId === 'a-1')!;
    expect(a).toMatchObject({
      version: 1,
      provenance: { kind: 'internal', source: 'shop' },
      lastImportId: 'imp_1',
      lastPurchaseAt: '1997-01-01T00:00:00.000Z',
      lastActivityAt: '1997-02-01T00:00:00.000Z',
      purchases: { eventCount: 3, occasions: 1, totalSpend: 15.6, refunds: 1, refundedAmount: 4.4 },
    });
    expect(w.profiles.profiles.get('B')).toMatchObject({
      version: 1,
      purchases: {
        eventCount: 2,
        occasions: 2,
        totalSpend: 6.5,
        firstPurchaseAt: '1996-12-01T00:00:00.000Z',
      },
    });
    expect(w.events.items.get(a.profileId)?.size).toBe(3);
  });

  it('ends in the same state when a chunk is planned and committed again after a crash mid-commit', async () => {
    const once = world();
    await (await once.processor.prepare(cleanAll(once.processor), context)).commit();

    const crashed = world();
    const putAll = crashed.events.putAll.bind(crashed.events);
    crashed.events.putAll = async () => {
      throw new Error('crash after the profiles were written');
    };
    await expect(
      (await crashed.processor.prepare(cleanAll(crashed.processor), context)).commit(),
    ).rejects.toThrow('crash');
    crashed.events.putAll = putAll;
    const again = await crashed.processor.prepare(cleanAll(crashed.processor), context);
    await again.commit();
    expect(snapshot(crashed)).toEqual(snapshot(once));

    // And once more on the finished state: nothing new.
    const third = await crashed.processor.prepare(cleanAll(crashed.processor), context);
    expect(third.outcomes.map((o) => o.outcome)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'rejected',
      'duplicate',
    ]);
    await third.commit();
    expect(snapshot(crashed)).toEqual(snapshot(once));
  });
});
