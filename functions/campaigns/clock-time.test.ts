import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallTime, zoneOffsetMinutes } from '../shared/zoned-time';
import {
  addDays,
  instantsAtClockTime,
  localDateOf,
  localMinutesOf,
  minutesOfDay,
  offsetMinutesAt,
} from './clock-time';
import { COUNTRY_TIME_ZONES } from './country-time-zone';

const zones = [
  ...new Set([...Object.values(COUNTRY_TIME_ZONES), 'UTC', 'Australia/Lord_Howe', 'Pacific/Chatham']),
];

describe('reading a zone’s clock', () => {
  it('agrees with Intl at every minute, in every zone a recipient can get (cached per quarter hour)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2031, 0, 1) / 60_000 }),
        fc.constantFrom(...zones),
        (minute, zone) => {
          const t = minute * 60_000;
          expect(offsetMinutesAt(t, zone)).toBe(zoneOffsetMinutes(zone, t));
          const w = wallTime(t, zone);
          expect(localMinutesOf(t, zone)).toBe(w.hour * 60 + w.minute);
          expect(localDateOf(t, zone)).toEqual({ year: w.year, month: w.month, day: w.day });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('relies on what holds: every zone changes its clock at a whole quarter hour of UTC (2026-2028)', () => {
    const week = 7 * 86_400_000;
    const offTheQuarter: string[] = [];
    for (const zone of zones) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2029, 0, 1); t += week) {
        if (zoneOffsetMinutes(zone, t) === zoneOffsetMinutes(zone, t + week)) continue;
        let lo = t;
        let hi = t + week;
        while (hi - lo > 60_000) {
          const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
          if (zoneOffsetMinutes(zone, mid) === zoneOffsetMinutes(zone, t)) lo = mid;
          else hi = mid;
        }
        if (hi % (15 * 60_000) !== 0) offTheQuarter.push(`${zone} ${new Date(hi).toISOString()}`);
      }
    }
    expect(offTheQuarter).toEqual([]);
  });

  it('changes at the very minute the clocks change', () => {
    // London, 2026-03-29 01:00 UTC: 00:59 GMT, then 02:00 BST.
    expect(localMinutesOf(Date.parse('2026-03-29T00:59:00Z'), 'Europe/London')).toBe(59);
    expect(localMinutesOf(Date.parse('2026-03-29T01:00:00Z'), 'Europe/London')).toBe(120);
  });
});

describe('clock times', () => {
  it('reads HH:MM as minutes after midnight and steps dates over month and year ends', () => {
    expect(minutesOfDay('00:00')).toBe(0);
    expect(minutesOfDay('21:30')).toBe(1290);
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2028, month: 3, day: 1 }, -1)).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it('finds a time once, twice when clocks go back, and at the jump when they skip it', () => {
    const london = (day: number, month: number, hhmm: string) =>
      instantsAtClockTime({ year: 2026, month, day }, minutesOfDay(hhmm), 'Europe/London').map((t) =>
        new Date(t).toISOString(),
      );
    expect(london(10, 6, '10:00')).toEqual(['2026-06-10T09:00:00.000Z']);
    expect(london(25, 10, '01:30')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(london(29, 3, '01:30')).toEqual(['2026-03-29T01:00:00.000Z']);
    // Lord Howe moves by half an hour: 02:00 becomes 02:30 on 2026-10-04.
    expect(
      instantsAtClockTime(
        { year: 2026, month: 10, day: 4 },
        minutesOfDay('02:15'),
        'Australia/Lord_Howe',
      ).map((t) => new Date(t).toISOString()),
    ).toEqual(['2026-10-03T15:30:00.000Z']);
  });
});
