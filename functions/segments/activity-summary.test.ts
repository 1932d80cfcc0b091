import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActivityEvent, activityKeysOf, recordActivity } from './activity-summary';
import { utcDay } from './duration';
import { activityEvent } from './segment-arbitraries.test-helpers';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-15T12:00:00.000Z');
const daysAgo = (d: number, ms = 0) => new Date(NOW - d * DAY - ms).toISOString();

/** Batches of `events` in a shuffled order, recorded one after another. */
const inBatches = (
  events: readonly ActivityEvent[],
  order: readonly number[],
  cuts: readonly number[],
  options = {},
) => {
  const shuffled = order.map((i) => events[i]!);
  const bounds = [...new Set([0, ...cuts.map((c) => c % (shuffled.length + 1)), shuffled.length])].sort(
    (a, b) => a - b,
  );
  let summary = recordActivity(undefined, [], options);
  for (let b = 0; b + 1 < bounds.length; b++)
    summary = recordActivity(summary, shuffled.slice(bounds[b], bounds[b + 1]), options);
  return summary;
};

const shuffled = (events: fc.Arbitrary<ActivityEvent[]>) =>
  events.chain((list) =>
    fc.tuple(
      fc.constant(list),
      fc.shuffledSubarray(
        list.map((_, i) => i),
        { minLength: list.length, maxLength: list.length },
      ),
      fc.array(fc.nat(), { maxLength: 5 }),
    ),
  );
const shuffledEvents = shuffled(fc.array(activityEvent, { maxLength: 60 }));
/** Events of the last 90 days only, so a 60-day window and a small day budget both fold days. */
const recentShuffledEvents = shuffled(
  fc.array(
    activityEvent.map((e) => ({
      ...e,
      at: new Date(NOW - ((NOW - Date.parse(e.at)) % (90 * DAY))).toISOString(),
    })),
    { maxLength: 60 },
  ),
);

describe('activityKeysOf', () => {
  it('counts an event under its type and once per distinct summarised value', () => {
    expect(
      activityKeysOf({
        type: 'purchase',
        at: daysAgo(0),
        properties: {
          orderId: 'o-1',
          channel: 'web',
          items: [{ category: 'books' }, { category: 'music' }, { category: 'books' }],
        },
      }),
    ).toEqual(['purchase', 'purchase|category=books', 'purchase|category=music', 'purchase|channel=web']);
    expect(
      activityKeysOf({
        type: 'message_sent',
        at: daysAgo(0),
        properties: { campaignId: 'c-1', runId: 'r-9', channel: 'email', variant: 'B' },
      }),
    ).toEqual([
      'message_sent',
      'message_sent|channel=email',
      'message_sent|campaignId=c-1',
      'message_sent|variant=B',
    ]);
  });

  it('leaves out values that are not texts or longer than 64 characters', () => {
    expect(
      activityKeysOf({
        type: 'visit',
        at: daysAgo(0),
        properties: { channel: 3, category: 'x'.repeat(65), kind: '' },
      }),
    ).toEqual(['visit']);
  });
});

describe('recordActivity', () => {
  it('keeps total, first and last time, and counts per UTC day', () => {
    const s = recordActivity(undefined, [
      { type: 'visit', at: daysAgo(0) },
      { type: 'visit', at: daysAgo(0, 3600_000) },
      { type: 'visit', at: daysAgo(3) },
    ]);
    expect(s.keys.visit).toEqual({
      total: 3,
      first: NOW - 3 * DAY,
      last: NOW,
      earlier: 0,
      days: [utcDay(NOW) - 3, 1, utcDay(NOW), 2],
    });
  });

  it('folds days older than the window into one earlier count, keeping the total', () => {
    const s = recordActivity(undefined, [
      { type: 'visit', at: daysAgo(0) },
      { type: 'visit', at: daysAgo(399) },
      { type: 'visit', at: daysAgo(400) },
      { type: 'visit', at: daysAgo(900) },
    ]);
    expect(s.from).toBe(utcDay(NOW) - 399);
    expect(s.keys.visit).toMatchObject({ total: 4, earlier: 2, first: NOW - 900 * DAY, last: NOW });
    expect(s.keys.visit!.days).toEqual([utcDay(NOW) - 399, 1, utcDay(NOW), 1]);
  });

  it('gives the same summary for the same events in any order and any batches', () => {
    fc.assert(
      fc.property(shuffledEvents, ([events, order, cuts]) => {
        expect(inBatches(events, order, cuts)).toEqual(recordActivity(undefined, events));
      }),
    );
  });

  it('stays order-independent when the window and the day budget fold days', () => {
    const options = { windowDays: 60, maxDayEntries: 12 };
    fc.assert(
      fc.property(recentShuffledEvents, ([events, order, cuts]) => {
        const all = recordActivity(undefined, events, options);
        expect(all.dropped).toBeUndefined();
        expect(inBatches(events, order, cuts, options)).toEqual(all);
        const entries = Object.values(all.keys).reduce((n, k) => n + k.days.length / 2, 0);
        expect(entries).toBeLessThanOrEqual(12);
      }),
    );
  });

  it('drops the least recently active keys over the cap, property keys first, and counts them', () => {
    const events: ActivityEvent[] = [
      { type: 'visit', at: daysAgo(50) },
      { type: 'message_sent', at: daysAgo(40), properties: { campaignId: 'old' } },
      { type: 'message_sent', at: daysAgo(1), properties: { campaignId: 'new' } },
      { type: 'message_sent', at: daysAgo(2), properties: { campaignId: 'older-but-not-oldest' } },
    ];
    const s = recordActivity(undefined, events, { maxKeys: 4 });
    expect(Object.keys(s.keys)).toEqual([
      'message_sent',
      'message_sent|campaignId=new',
      'message_sent|campaignId=older-but-not-oldest',
      'visit',
    ]);
    expect(s.dropped).toEqual({ keys: 1, events: 1 });
  });

  it('stays far below the 400 KB item limit for the busiest customer', () => {
    const events: ActivityEvent[] = [];
    for (let k = 0; k < 260; k++)
      for (let d = 0; d < 400; d++)
        events.push({
          type: `${'t'.repeat(60)}${k % 60}`,
          at: daysAgo(d, k * 1000),
          properties: { campaignId: `${'c'.repeat(61)}${k}`.slice(-64), variant: 'v'.repeat(64) },
        });
    const s = recordActivity(undefined, events);
    expect(Object.keys(s.keys)).toHaveLength(200);
    expect(Buffer.byteLength(JSON.stringify(s))).toBeLessThan(70_000);
    // A typical customer: a purchase a week for a year, a campaign message a week.
    const typical: ActivityEvent[] = [];
    for (let w = 0; w < 52; w++) {
      typical.push({
        type: 'purchase',
        at: daysAgo(w * 7),
        properties: { items: [{ category: `cat-${w % 5}` }] },
      });
      typical.push({
        type: 'message_sent',
        at: daysAgo(w * 7 + 1),
        properties: { campaignId: `c-${w % 10}`, channel: 'email' },
      });
    }
    expect(Buffer.byteLength(JSON.stringify(recordActivity(undefined, typical)))).toBeLessThan(8_000);
  });

  it('refuses an event without a valid time', () => {
    expect(() => recordActivity(undefined, [{ type: 'visit', at: 'yesterday' }])).toThrow(/no valid time/);
  });
});
