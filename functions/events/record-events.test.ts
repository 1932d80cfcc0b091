import { describe, expect, it } from 'vitest';
import type { ProfileFields } from '../profiles/profile';
import { normalizeContactFields, replaceProfile } from '../profiles/profile-changes';
import { ValidationError } from '../shared/domain-errors';
import { InMemoryEventLog, InMemoryProfiles, profileNamed } from './in-memory-stores.test-helpers';
import { type RecordEventsDeps, recordEvents } from './record-events';
import { eventKeyOf } from './stored-event';

const NOW = new Date('2026-06-01T00:00:00.000Z');

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
});
