import { describe, expect, it } from 'vitest';
import type { ProfileFields } from '../profiles/profile';
import { normalizeContactFields, replaceProfile } from '../profiles/profile-changes';
import { ValidationError } from '../shared/domain-errors';
import { InMemoryEventLog, InMemoryProfiles, profileNamed } from './in-memory-stores.test-helpers';
import { type RecordEventsDeps, recordEvents } from './record-events';
import { eventKeyOf } from './stored-event';
import { FUTURE_TOLERANCE_MS, validateEvent } from './validate-event';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const afterNow = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const purchase = (eventId: string, profile: Record<string, string>, timestamp: string, amount: number) => ({
  eventId,
  profile,
  type: 'purchase',
  timestamp,
  properties: { orderId: `o-${eventId}`, amount, currency: 'USD' },
});

/** Stores in memory, and an upsert that creates as ProfileService does (normalised, with markers). */
const world = () => {
  const events = new InMemoryEventLog();
  const profiles = new InMemoryProfiles();
  profiles.profiles.set('A', profileNamed('A', { externalId: 'a-1' }));
  profiles.markers.set('externalId#a-1', 'A');
  profiles.profiles.set('M', profileNamed('M', { email: 'm@example.com' }));
  profiles.markers.set('email#m@example.com', 'M');
  // A stale marker: its profile changed email since.
  profiles.profiles.set('S', profileNamed('S', { email: 'new@example.com' }));
  profiles.markers.set('email#old@example.com', 'S');
  const upserts: ProfileFields[] = [];
  let created = 0;
  const deps: RecordEventsDeps = {
    events,
    activity: profiles,
    profileStore: profiles,
    defaultCountry: 'GB',
    baseCurrency: 'USD',
    rates: {},
    now: () => NOW,
    profiles: {
      upsert: async (input) => {
        upserts.push(input);
        const { fields, errors } = normalizeContactFields(input, 'GB');
        if (errors.length > 0) throw new ValidationError(errors);
        const profileId = `new-${++created}`;
        await profiles.saveMany([
          { next: replaceProfile(profileId, fields, undefined, NOW.toISOString()), previous: undefined },
        ]);
        return { outcome: 'created', profileId };
      },
    },
  };
  return { events, profiles, deps, upserts };
};

describe('recordEvents', () => {
  it('resolves existing profiles in batch reads and creates only those no profile owns', async () => {
    const { deps, upserts, profiles } = world();
    const result = await recordEvents(deps, [
      purchase('e1', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10),
      purchase('e2', { email: ' M@Example.com ' }, '2026-05-01T10:00:00Z', 5),
      purchase('e3', { profileId: 'A' }, '2026-05-02T10:00:00Z', 1),
      purchase('e4', { profileId: 'nobody' }, '2026-05-02T10:00:00Z', 1),
      purchase('e5', { email: 'old@example.com' }, '2026-05-02T10:00:00Z', 2),
      purchase('e6', { email: 'not-an-email' }, '2026-05-02T10:00:00Z', 2),
      purchase('e7', { externalId: 'fresh' }, '2026-05-02T10:00:00Z', 3),
      purchase('e8', { externalId: 'fresh' }, '2026-05-03T10:00:00Z', 4),
    ]);
    expect(result).toMatchObject({ accepted: 6, duplicates: 0, rejected: 2 });
    expect(result.results.map((r) => ('profileId' in r ? r.profileId : r.status))).toEqual([
      'A',
      'M',
      'A',
      'rejected',
      'new-1',
      'rejected',
      'new-2',
      'new-2',
    ]);
    expect(result.results[3]).toMatchObject({
      errors: [{ path: 'profile.profileId', message: 'no profile has this id' }],
    });
    expect(result.results[5]).toMatchObject({
      errors: [{ path: 'profile.email', message: 'is not a valid email address' }],
    });
    // The stale marker, the invalid email and the unknown id go through upsert, once per reference.
    expect(upserts).toEqual([
      { email: 'old@example.com' },
      { email: 'not-an-email' },
      { externalId: 'fresh' },
    ]);
    expect(profiles.profiles.get('A')!.purchases).toMatchObject({ eventCount: 2, totalSpend: 11 });
    expect(profiles.profiles.get('M')!.purchases).toMatchObject({ eventCount: 1, totalSpend: 5 });
    expect(profiles.profiles.get('new-2')!.purchases).toMatchObject({ eventCount: 2, totalSpend: 7 });
  });

  it('writes each eventId once: events already stored are duplicates, the rest accepted', async () => {
    const { deps, events, profiles } = world();
    await recordEvents(deps, [purchase('e1', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10)]);
    const again = await recordEvents(deps, [
      purchase('e1', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10),
      purchase('e2', { externalId: 'a-1' }, '2026-05-01T11:00:00Z', 2),
      purchase('e2', { externalId: 'a-1' }, '2026-05-01T11:00:00Z', 2),
    ]);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect([...events.items.get('A')!.keys()].sort()).toEqual([eventKeyOf('e1'), eventKeyOf('e2')]);
    expect(profiles.profiles.get('A')!.purchases).toMatchObject({ eventCount: 2, totalSpend: 12 });
  });

  it('reports an event another request wrote meanwhile as a duplicate, counted once', async () => {
    const { deps, events, profiles } = world();
    events.beforePutAll = () => {
      events.beforePutAll = undefined;
      void events.putIfAbsent({
        profileId: 'A',
        eventKey: eventKeyOf('e1'),
        eventId: 'e1',
        type: 'purchase',
        timestamp: '2026-05-01T10:00:00Z',
        at: '2026-05-01T10:00:00.000Z',
        properties: { orderId: 'o-e1', amount: 10, currency: 'USD' },
        receivedAt: '2026-05-31T00:00:00.000Z',
        source: 'api',
      });
    };
    const result = await recordEvents(deps, [
      purchase('e1', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10),
      purchase('e2', { externalId: 'a-1' }, '2026-05-02T10:00:00Z', 3),
    ]);
    expect(result.results.map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    expect(events.items.get('A')!.get(eventKeyOf('e1'))!.receivedAt).toBe('2026-05-31T00:00:00.000Z');
    expect(profiles.profiles.get('A')!.purchases).toMatchObject({ eventCount: 2, totalSpend: 13 });
  });

  it('completes the aggregates on a retry whose events were all written before a failure', async () => {
    const { deps, events, profiles } = world();
    const batch = [
      purchase('e1', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10),
      purchase('e2', { email: 'm@example.com' }, '2026-05-01T10:00:00Z', 5),
    ];
    // The first attempt fails after writing its events, before any aggregate.
    const write = profiles.write;
    profiles.write = async () => {
      throw new Error('crash');
    };
    await expect(recordEvents(deps, batch)).rejects.toThrow('crash');
    expect(events.items.get('A')?.size).toBe(1);
    expect(profiles.profiles.get('A')!.purchases).toBeUndefined();

    profiles.write = write;
    const retry = await recordEvents(deps, batch);
    expect(retry).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(profiles.profiles.get('A')).toMatchObject({
      purchases: { eventCount: 1, totalSpend: 10 },
      lastPurchaseAt: '2026-05-01T10:00:00.000Z',
    });
    expect(profiles.profiles.get('M')!.purchases).toMatchObject({ eventCount: 1, totalSpend: 5 });
  });

  it('counts an event written concurrently between its reads and its write', async () => {
    const { deps, events, profiles } = world();
    let raced = false;
    profiles.beforeWrite = () => {
      if (raced) return;
      raced = true;
      // Another request records an event for A and its (complete) aggregates first.
      events.items.set(
        'A',
        new Map([
          ...(events.items.get('A') ?? []),
          [
            eventKeyOf('other'),
            {
              profileId: 'A',
              eventKey: eventKeyOf('other'),
              eventId: 'other',
              type: 'purchase',
              timestamp: '2026-05-05T00:00:00.000Z',
              at: '2026-05-05T00:00:00.000Z',
              properties: { orderId: 'x', amount: 100, currency: 'USD' },
              receivedAt: '2026-05-05T00:00:00.000Z',
              source: 'api',
            },
          ],
        ]),
      );
      const a = profiles.profiles.get('A')!;
      profiles.profiles.set('A', { ...a, purchases: { eventCount: 1 } });
    };
    await recordEvents(deps, [purchase('e1', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10)]);
    expect(profiles.profiles.get('A')).toMatchObject({
      purchases: { eventCount: 2, totalSpend: 110 },
      lastPurchaseAt: '2026-05-05T00:00:00.000Z',
    });
  });

  it('refuses an event dated past the clock-skew tolerance; the rest of the batch is recorded', async () => {
    const { deps, events, profiles, upserts } = world();
    const result = await recordEvents(deps, [
      purchase('past', { externalId: 'a-1' }, '2026-05-01T10:00:00Z', 10),
      purchase('edge', { externalId: 'a-1' }, afterNow(FUTURE_TOLERANCE_MS), 1),
      purchase('late', { externalId: 'a-1' }, afterNow(FUTURE_TOLERANCE_MS + 1), 500),
      {
        eventId: 'refund',
        profile: { externalId: 'a-1' },
        type: 'refund',
        timestamp: '2026-06-02T00:00:00+02:00',
        properties: { orderId: 'o-past', amount: 10, currency: 'USD' },
      },
      { eventId: 'visit', profile: { externalId: 'a-1' }, type: 'visit', timestamp: '2026-07-01T00:00:00Z' },
      purchase('stranger', { externalId: 'nobody-yet' }, '2027-01-01T00:00:00Z', 5),
    ]);
    const money =
      'is in the future: purchases and refunds must have happened (5 minutes of clock skew are allowed)';
    expect(result).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 4,
      results: [
        { index: 0, eventId: 'past', status: 'accepted', profileId: 'A' },
        { index: 1, eventId: 'edge', status: 'accepted', profileId: 'A' },
        { index: 2, eventId: 'late', status: 'rejected', errors: [{ path: 'timestamp', message: money }] },
        { index: 3, eventId: 'refund', status: 'rejected', errors: [{ path: 'timestamp', message: money }] },
        {
          index: 4,
          eventId: 'visit',
          status: 'rejected',
          errors: [
            {
              path: 'timestamp',
              message: 'is in the future: events must have happened (5 minutes of clock skew are allowed)',
            },
          ],
        },
        {
          index: 5,
          eventId: 'stranger',
          status: 'rejected',
          errors: [{ path: 'timestamp', message: money }],
        },
      ],
    });
    expect([...events.items.get('A')!.keys()].sort()).toEqual([eventKeyOf('edge'), eventKeyOf('past')]);
    // The refused events count nowhere and their unknown identifier created no profile.
    expect(profiles.profiles.get('A')).toMatchObject({
      purchases: { eventCount: 2, totalSpend: 11, refunds: 0 },
      lastPurchaseAt: afterNow(FUTURE_TOLERANCE_MS),
      lastActivityAt: afterNow(FUTURE_TOLERANCE_MS),
    });
    expect(upserts).toEqual([]);
  });
});

describe('validateEvent: the future', () => {
  const check = (timestamp: string, type = 'purchase') =>
    validateEvent(
      type === 'purchase'
        ? purchase('e', { externalId: 'x' }, timestamp, 1)
        : { eventId: 'e', profile: { externalId: 'x' }, type, timestamp },
      { now: NOW, baseCurrency: 'USD', rates: {} },
    );

  it('accepts a time exactly at the tolerance, in any zone, and any past time', () => {
    expect(check(afterNow(FUTURE_TOLERANCE_MS))).toHaveProperty('event');
    expect(check('2026-06-01T02:05:00+02:00')).toHaveProperty('event');
    expect(check('2026-05-31T23:59:59Z')).toHaveProperty('event');
    expect(check('1997-01-01T00:00:00Z', 'signup')).toHaveProperty('event');
  });

  it('refuses a time one millisecond past the tolerance, for every type, naming the field', () => {
    expect(check(afterNow(FUTURE_TOLERANCE_MS + 1))).toEqual({
      eventId: 'e',
      errors: [
        {
          path: 'timestamp',
          message:
            'is in the future: purchases and refunds must have happened (5 minutes of clock skew are allowed)',
        },
      ],
    });
    expect(check('2026-06-01T02:05:00.001+02:00')).toHaveProperty('errors');
    for (const type of ['visit', 'signup', 'newsletter_open'])
      expect(check(afterNow(FUTURE_TOLERANCE_MS + 1), type)).toEqual({
        eventId: 'e',
        errors: [
          {
            path: 'timestamp',
            message: 'is in the future: events must have happened (5 minutes of clock skew are allowed)',
          },
        ],
      });
  });
});

describe('validateEvent: the distant past', () => {
  const check = (timestamp: string, earliest?: Date) =>
    validateEvent(purchase('e', { externalId: 'x' }, timestamp, 1), {
      now: NOW,
      baseCurrency: 'USD',
      rates: {},
      ...(earliest ? { earliest } : {}),
    });

  it('refuses events before 1970 (the year 1, 1900), or before the setting, naming the field', () => {
    for (const t of ['0001-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '1969-12-31T23:59:59Z'])
      expect(check(t)).toEqual({
        eventId: 'e',
        errors: [{ path: 'timestamp', message: 'must not be before 1970-01-01' }],
      });
    expect(check('1970-01-01T00:00:00Z')).toHaveProperty('event');
    expect(check('2001-01-01T00:00:00Z', new Date('2010-01-01T00:00:00Z'))).toHaveProperty('errors');
  });
});
