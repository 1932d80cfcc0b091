import { describe, expect, it } from 'vitest';
import { isUnderADay, longestDays, parseDuration, shiftInstant, utcDay } from './duration';

const at = (iso: string) => Date.parse(iso);
const back = (iso: string, duration: string) =>
  new Date(shiftInstant(at(iso), parseDuration(duration)!, -1)).toISOString();

describe('parseDuration', () => {
  it('reads the ISO 8601 forms rules use, with or without a sign', () => {
    expect(parseDuration('P30D')).toMatchObject({ sign: 0, days: 30 });
    expect(parseDuration('-P180D')).toMatchObject({ sign: -1, days: 180 });
    expect(parseDuration('+P3D')).toMatchObject({ sign: 1, days: 3 });
    expect(parseDuration('-PT12H')).toMatchObject({ sign: -1, hours: 12 });
    expect(parseDuration('-P1Y2M')).toMatchObject({ sign: -1, years: 1, months: 2 });
    expect(parseDuration('P2W')).toMatchObject({ weeks: 2 });
    expect(parseDuration('P1DT1H30M15.5S')).toMatchObject({ days: 1, hours: 1, minutes: 30, seconds: 15.5 });
  });

  it.each(['', 'P', 'PT', '30D', 'P1.5D', 'P1DT', '--P1D', 'p30d', 'P30', 'P1H', 'PT1D', ' P1D'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('shiftInstant', () => {
  it('moves by calendar months, clamped to the end of a shorter month', () => {
    expect(back('2026-03-31T10:00:00.000Z', 'P1M')).toBe('2026-02-28T10:00:00.000Z');
    expect(back('2024-03-31T10:00:00.000Z', 'P1M')).toBe('2024-02-29T10:00:00.000Z');
    expect(back('2024-02-29T00:00:00.000Z', 'P1Y')).toBe('2023-02-28T00:00:00.000Z');
    expect(back('2026-01-15T00:00:00.000Z', 'P1Y2M')).toBe('2024-11-15T00:00:00.000Z');
  });

  it('moves by fixed days and hours after the calendar part', () => {
    expect(back('2026-03-15T12:00:00.000Z', 'P30D')).toBe('2026-02-13T12:00:00.000Z');
    expect(back('2026-03-15T12:00:00.000Z', 'PT12H')).toBe('2026-03-15T00:00:00.000Z');
    expect(back('2026-03-31T12:00:00.000Z', 'P1M1D')).toBe('2026-02-27T12:00:00.000Z');
    expect(new Date(shiftInstant(at('2026-03-15T12:00:00Z'), parseDuration('+P3D')!, 1)).toISOString()).toBe(
      '2026-03-18T12:00:00.000Z',
    );
  });
});

describe('lengths', () => {
  it('knows the longest a calendar duration can be, and what is under a day', () => {
    expect(longestDays(parseDuration('P1Y')!)).toBe(366);
    expect(longestDays(parseDuration('P13M')!)).toBe(403);
    expect(longestDays(parseDuration('PT36H')!)).toBe(1.5);
    expect(isUnderADay(parseDuration('PT23H59M')!)).toBe(true);
    expect(isUnderADay(parseDuration('PT24H')!)).toBe(false);
    expect(isUnderADay(parseDuration('P1M')!)).toBe(false);
  });

  it('numbers UTC days from 1970-01-01', () => {
    expect(utcDay(at('1970-01-01T23:59:59.999Z'))).toBe(0);
    expect(utcDay(at('1970-01-02T00:00:00Z'))).toBe(1);
    expect(utcDay(at('1969-12-31T23:00:00Z'))).toBe(-1);
  });
});
