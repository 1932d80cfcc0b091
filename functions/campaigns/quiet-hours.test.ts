import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localMinutesOf } from './clock-time';
import { insideQuietHours, MAX_DEFERRAL_MS, type QuietHours, quietHoursDecision } from './quiet-hours';

const at = (iso: string) => new Date(iso);
const decide = (now: string, zone: string, quiet?: QuietHours, dueAt?: string) => {
  const d = quietHoursDecision(at(now), zone, quiet, dueAt === undefined ? undefined : at(dueAt));
  return 'deferUntil' in d ? { deferUntil: d.deferUntil.toISOString() } : d;
};

describe('quietHoursDecision, default 21:00-08:00', () => {
  it('sends up to 20:59 and from 08:00, holds from 21:00 until 08:00 the next morning', () => {
    expect(decide('2026-06-10T19:59:59Z', 'Europe/London')).toEqual({ send: true }); // 20:59:59 BST
    expect(decide('2026-06-10T20:00:00Z', 'Europe/London')).toEqual({
      deferUntil: '2026-06-11T07:00:00.000Z',
    });
    expect(decide('2026-06-11T02:00:00Z', 'Europe/London')).toEqual({
      deferUntil: '2026-06-11T07:00:00.000Z',
    });
    expect(decide('2026-06-11T06:59:30Z', 'Europe/London')).toEqual({
      deferUntil: '2026-06-11T07:00:00.000Z',
    });
    expect(decide('2026-06-11T07:00:00Z', 'Europe/London')).toEqual({ send: true });
  });

  it('reads the recipient’s clock: night in Tokyo while it is day in London', () => {
    // 12:00 UTC is 21:00 in Tokyo: held until 08:00 JST (23:00 UTC).
    expect(decide('2026-06-10T12:00:00Z', 'Asia/Tokyo')).toEqual({ deferUntil: '2026-06-10T23:00:00.000Z' });
    expect(decide('2026-06-10T12:00:00Z', 'Europe/London')).toEqual({ send: true });
  });

  it('ends quiet hours at 08:00 local on the last Sundays of March and October in London', () => {
    // 2026-03-29: clocks go forward at 01:00 UTC, so 08:00 is 07:00 UTC; the night is one hour shorter.
    expect(decide('2026-03-28T22:00:00Z', 'Europe/London')).toEqual({
      deferUntil: '2026-03-29T07:00:00.000Z',
    });
    // 2026-10-25: clocks go back at 01:00 UTC, so 08:00 is 08:00 UTC.
    expect(decide('2026-10-24T21:30:00Z', 'Europe/London')).toEqual({
      deferUntil: '2026-10-25T08:00:00.000Z',
    });
  });

  it('ends quiet hours at 08:00 local on New York’s clock-change days', () => {
    expect(decide('2026-03-08T03:00:00Z', 'America/New_York')).toEqual({
      deferUntil: '2026-03-08T12:00:00.000Z',
    });
    expect(decide('2026-11-01T02:00:00Z', 'America/New_York')).toEqual({
      deferUntil: '2026-11-01T13:00:00.000Z',
    });
  });
});

describe('quietHoursDecision, other windows', () => {
  const night = { start: '01:00', end: '06:00' };

  it('reads a window that does not wrap midnight', () => {
    expect(decide('2026-06-10T00:59:00Z', 'UTC', night)).toEqual({ send: true });
    expect(decide('2026-06-10T01:00:00Z', 'UTC', night)).toEqual({ deferUntil: '2026-06-10T06:00:00.000Z' });
    expect(decide('2026-06-10T06:00:00Z', 'UTC', night)).toEqual({ send: true });
    expect(decide('2026-06-10T23:00:00Z', 'UTC', night)).toEqual({ send: true });
  });

  it('ends a window whose end the clock jumps over at the jump', () => {
    // New York 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC; 02:30 never shows.
    expect(decide('2026-03-08T06:30:00Z', 'America/New_York', { start: '01:00', end: '02:30' })).toEqual({
      deferUntil: '2026-03-08T07:00:00.000Z',
    });
    // When the jump lands inside a nearly day-long window, it ends at the next day's end.
    expect(decide('2026-03-08T06:50:00Z', 'America/New_York', { start: '02:45', end: '02:30' })).toEqual({
      deferUntil: '2026-03-09T06:30:00.000Z',
    });
  });

  it('ends a window whose end shows twice at the next showing', () => {
    // London 2026-10-25: 01:30 shows at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    const early = { start: '00:00', end: '01:30' };
    expect(decide('2026-10-24T23:45:00Z', 'Europe/London', early)).toEqual({
      deferUntil: '2026-10-25T00:30:00.000Z',
    });
    expect(decide('2026-10-25T01:10:00Z', 'Europe/London', early)).toEqual({
      deferUntil: '2026-10-25T01:30:00.000Z',
    });
  });
});

describe('expiry', () => {
  it('expires a message that would go out more than 24 h after it first fell due', () => {
    // Due at 09:00 UTC the day before, held to 07:00 UTC: 22 h, still sent.
    expect(decide('2026-06-10T20:00:00Z', 'Europe/London', undefined, '2026-06-10T09:00:00Z')).toEqual({
      deferUntil: '2026-06-11T07:00:00.000Z',
    });
    expect(decide('2026-06-10T20:00:00Z', 'Europe/London', undefined, '2026-06-10T07:00:00Z')).toEqual({
      deferUntil: '2026-06-11T07:00:00.000Z',
    });
    expect(decide('2026-06-10T20:00:00Z', 'Europe/London', undefined, '2026-06-10T06:59:59Z')).toEqual({
      expired: true,
    });
    // Outside quiet hours too: a message picked up 25 h after it fell due is stale.
    expect(decide('2026-06-11T10:00:00Z', 'Europe/London', undefined, '2026-06-10T09:00:00Z')).toEqual({
      expired: true,
    });
  });
});

const zones = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'America/St_Johns',
];
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

// Ends between 01:00 and 02:59, where the clocks of London, New York and Lord Howe jump.
const nightHhmm = fc
  .integer({ min: 60, max: 179 })
  .map((m) => `0${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`);
// Clock changes of 2026 (London, New York, Lord Howe's half hour, Santiago): instants within 30 h
// of one are drawn as often as any other, since that is where a window's end is easy to get wrong.
const changes = [
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-04-04T15:00:00Z',
  '2026-04-05T03:00:00Z',
].map(Date.parse);
const instants = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fc
    .tuple(fc.constantFrom(...changes), fc.integer({ min: -30 * 60, max: 30 * 60 }))
    .map(([t, m]) => t + m * 60_000),
);

describe('quietHoursDecision, any instant, zone and window', () => {
  it('never sends inside the window, and holds exactly until the clock first leaves it', () => {
    fc.assert(
      fc.property(
        instants,
        fc.constantFrom(...zones),
        hhmm,
        fc.oneof(hhmm, nightHhmm),
        (nowMs, zone, start, end) => {
          fc.pre(start !== end);
          const quiet = { start, end };
          const d = quietHoursDecision(new Date(nowMs), zone, quiet);
          const inside = (t: number) => insideQuietHours(localMinutesOf(t, zone), quiet);
          if ('send' in d) {
            expect(inside(nowMs)).toBe(false);
            return;
          }
          if ('expired' in d) {
            // Only a clock that stays inside for a whole day: a nearly day-long window whose open
            // minutes a spring-forward jump skips (03:00-02:09 in St John's on 2026-03-08).
            for (let t = nowMs; t <= nowMs + MAX_DEFERRAL_MS; t += 60_000) expect(inside(t)).toBe(true);
            return;
          }
          const until = d.deferUntil.getTime();
          expect(inside(nowMs)).toBe(true);
          expect(until).toBeGreaterThan(nowMs);
          expect(inside(until)).toBe(false);
          // Inside at every minute before: no earlier moment would have been allowed.
          for (
            let t = until - 60_000;
            t > nowMs;
            t -= Math.max(60_000, Math.floor((until - nowMs) / 40 / 60_000) * 60_000)
          )
            expect(inside(t)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('quietHoursDecision on the night the clocks go back', () => {
  it('sends when the clock leaves the window by going back, not an hour later when it reads the end', () => {
    // 2026-11-01 in New York: 01:59 EDT (05:59Z), then at 06:00Z the clock reads 01:00 EST.
    const d = quietHoursDecision(new Date('2026-11-01T05:59:00Z'), 'America/New_York', {
      start: '01:01',
      end: '02:00',
    });
    expect(d).toEqual({ deferUntil: new Date('2026-11-01T06:00:00Z') });
  });
});

describe('quietHoursDecision on the night the clocks go forward', () => {
  it('expires a message whose only open minutes the jump skips, rather than holding it a day and more', () => {
    // St John's, 2026-03-08 01:08 NST: open only 02:09-03:00, and tonight 02:00 becomes 03:00.
    const d = quietHoursDecision(new Date('2026-03-08T04:38:00Z'), 'America/St_Johns', {
      start: '03:00',
      end: '02:09',
    });
    expect(d).toEqual({ expired: true });
  });
});
