import { describe, expect, it } from 'vitest';
import type { ActivitySummary } from '../segments/activity-summary';
import { InMemoryEventLog, InMemoryProfiles, profileNamed } from './in-memory-stores.test-helpers';
import { type RecordEventsDeps, recordEvents } from './record-events';
import { summariseActivity } from './refresh-aggregates';

// The activity summary that segment conditions read ("visited 3 times in 30 days") must count every
// event exactly once, whatever crashed, raced or was sent again: it is what an audience is cut from.

const NOW = new Date('2026-06-01T00:00:00.000Z');

const world = () => {
  const events = new InMemoryEventLog();
  const profiles = new InMemoryProfiles();
  profiles.profiles.set('A', profileNamed('A', { externalId: 'a-1' }));
  profiles.markers.set('externalId#a-1', 'A');
  const deps: RecordEventsDeps = {
    events,
    activity: profiles,
    profileStore: profiles,
    defaultCountry: 'GB',
    baseCurrency: 'USD',
    rates: {},
    now: () => NOW,
    profiles: {
      upsert: async () => {
        throw new Error('no profile is created in these tests');
      },
    },
  };
  return { events, profiles, deps };
};

const visit = (eventId: string, day: string) => ({
  eventId,
  profile: { externalId: 'a-1' },
  type: 'visit',
  timestamp: `2026-05-${day}T10:00:00Z`,
});
const purchase = (eventId: string, day: string, category: string) => ({
  eventId,
  profile: { externalId: 'a-1' },
  type: 'purchase',
  timestamp: `2026-05-${day}T12:00:00Z`,
  properties: {
    orderId: `o-${eventId}`,
    amount: 20,
    currency: 'USD',
    items: [{ sku: 's', category, quantity: 1, price: 20 }],
  },
});

const totals = (summary: ActivitySummary | undefined) =>
  Object.fromEntries(Object.entries(summary?.keys ?? {}).map(([key, k]) => [key, k.total]));

/** What the summary must be: every event of the profile counted once. */
const expected = async (events: InMemoryEventLog) => summariseActivity(await events.list('A'));

describe('the activity summary POST /events keeps', () => {
  it('counts every event of every type once, with its summarised properties', async () => {
    const { deps, profiles, events } = world();
    await recordEvents(deps, [visit('v1', '01'), visit('v2', '02'), purchase('p1', '03', 'books')]);
    await recordEvents(deps, [visit('v3', '04'), purchase('p2', '05', 'music')]);
    const a = profiles.profiles.get('A')!;
    expect(a.activityCount).toBe(5);
    expect(totals(a.activity)).toEqual({
      visit: 3,
      purchase: 2,
      'purchase|category=books': 1,
      'purchase|category=music': 1,
    });
    expect(a.activity).toEqual((await expected(events)).activity);
  });

  it('counts nothing twice when a batch is sent again', async () => {
    const { deps, profiles } = world();
    const batch = [visit('v1', '01'), purchase('p1', '02', 'books')];
    await recordEvents(deps, batch);
    const before = profiles.profiles.get('A')!;
    const again = await recordEvents(deps, batch);
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(profiles.profiles.get('A')!.activity).toEqual(before.activity);
    expect(profiles.profiles.get('A')!.activityCount).toBe(2);
  });

  it('ends with every event counted once when a crash fell between the events and the summary', async () => {
    const { deps, profiles, events } = world();
    await recordEvents(deps, [visit('v0', '01')]);
    const write = profiles.write;
    profiles.write = async () => {
      throw new Error('crash');
    };
    const batch = [visit('v1', '02'), visit('v2', '03'), purchase('p1', '04', 'books')];
    await expect(recordEvents(deps, batch)).rejects.toThrow('crash');
    expect(profiles.profiles.get('A')!.activityCount).toBe(1);
    profiles.write = write;
    await recordEvents(deps, batch);
    expect(profiles.profiles.get('A')!.activityCount).toBe(4);
    expect(totals(profiles.profiles.get('A')!.activity)).toMatchObject({ visit: 3, purchase: 1 });
    expect(profiles.profiles.get('A')!.activity).toEqual((await expected(events)).activity);
  });

  it('counts an event once when another request recounted the profile after it was written', async () => {
    const { deps, profiles, events } = world();
    await recordEvents(deps, [visit('v0', '01')]);
    let raced = false;
    profiles.beforeWrite = () => {
      if (raced) return;
      raced = true;
      // A concurrent request's recount: it read the event log after this request's write.
      void events.list('A').then((all) => {
        const a = profiles.profiles.get('A')!;
        profiles.profiles.set('A', { ...a, ...summariseActivity(all) });
      });
    };
    await recordEvents(deps, [visit('v1', '02')]);
    expect(profiles.profiles.get('A')!.activityCount).toBe(2);
    expect(totals(profiles.profiles.get('A')!.activity)).toEqual({ visit: 2 });
  });

  it('summarises a profile whose earlier events were never summarised, all of them, on its next event', async () => {
    const { deps, profiles, events } = world();
    await recordEvents(deps, [visit('v0', '01'), visit('v1', '02')]);
    // A profile from before summaries existed: its events, no summary.
    const { activity: _a, activityCount: _c, ...bare } = profiles.profiles.get('A')!;
    profiles.profiles.set('A', bare);
    await recordEvents(deps, [visit('v2', '03')]);
    expect(profiles.profiles.get('A')!.activityCount).toBe(3);
    expect(profiles.profiles.get('A')!.activity).toEqual((await expected(events)).activity);
  });
});
