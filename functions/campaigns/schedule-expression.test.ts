import { describe, expect, it } from 'vitest';
import { nextFireTime, parseScheduleExpression, schedulerTime } from './schedule-expression';

const next = (expression: string, after: string, timeZone = 'Europe/London'): string | undefined =>
  nextFireTime(expression, timeZone, new Date(after))?.toISOString();

describe('nextFireTime', () => {
  it('fires the weekly reactivation on Wednesdays at 10:00 London time, GMT and BST', () => {
    // 2026-11-25 is a Wednesday in GMT; 2026-07-01 a Wednesday in BST.
    expect(next('cron(0 10 ? * WED *)', '2026-11-23T12:00:00Z')).toBe('2026-11-25T10:00:00.000Z');
    expect(next('cron(0 10 ? * WED *)', '2026-11-25T10:00:00Z')).toBe('2026-12-02T10:00:00.000Z');
    expect(next('cron(0 10 ? * WED *)', '2026-06-30T00:00:00Z')).toBe('2026-07-01T09:00:00.000Z');
    expect(next('cron(0 10 ? * 4 *)', '2026-06-30T00:00:00Z')).toBe('2026-07-01T09:00:00.000Z');
  });

  it('follows the clock change in Europe/London', () => {
    // BST starts 2026-03-29 01:00 UTC, ends 2026-10-25 01:00 UTC.
    expect(next('cron(0 10 * * ? *)', '2026-03-28T12:00:00Z')).toBe('2026-03-29T09:00:00.000Z');
    expect(next('cron(0 10 * * ? *)', '2026-10-24T12:00:00Z')).toBe('2026-10-25T10:00:00.000Z');
  });

  it('skips a wall time that does not exist when clocks go forward', () => {
    // 01:30 on 2026-03-29 does not exist in London.
    expect(next('cron(30 1 * * ? *)', '2026-03-28T02:00:00Z')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('fires once for a wall time that happens twice when clocks go back', () => {
    // 01:30 on 2026-10-25 happens at 00:30 UTC (BST) and 01:30 UTC (GMT).
    expect(next('cron(30 1 * * ? *)', '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('cron(30 1 * * ? *)', '2026-10-25T00:30:00Z')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('reads lists, ranges, steps, L and years', () => {
    expect(next('cron(0/15 9-17 ? * MON-FRI *)', '2026-11-27T17:50:00Z', 'UTC')).toBe(
      '2026-11-30T09:00:00.000Z',
    );
    expect(next('cron(0 0 L * ? *)', '2027-02-01T00:00:00Z', 'UTC')).toBe('2027-02-28T00:00:00.000Z');
    expect(next('cron(0 8 1,15 JAN,JUL ? 2027)', '2026-11-01T00:00:00Z', 'UTC')).toBe(
      '2027-01-01T08:00:00.000Z',
    );
    expect(next('cron(0 8 1 JAN ? 2025)', '2026-11-01T00:00:00Z', 'UTC')).toBeUndefined();
    expect(next('cron(0 12 * * ? *)', '2026-11-01T00:00:00Z', 'America/New_York')).toBe(
      '2026-11-01T17:00:00.000Z',
    );
  });

  it('handles rate and at', () => {
    const startedAt = new Date('2026-01-01T00:00:00Z');
    expect(
      nextFireTime('rate(5 minutes)', 'UTC', new Date('2026-01-01T00:07:00Z'), { startedAt })?.toISOString(),
    ).toBe('2026-01-01T00:10:00.000Z');
    expect(next('at(2026-12-01T09:30:00)', '2026-11-01T00:00:00Z')).toBe('2026-12-01T09:30:00.000Z');
    expect(next('at(2026-07-01T09:30:00)', '2026-06-01T00:00:00Z')).toBe('2026-07-01T08:30:00.000Z');
    expect(next('at(2026-07-01T09:30:00)', '2026-07-02T00:00:00Z')).toBeUndefined();
  });

  it('rejects what Scheduler rejects', () => {
    expect(() => parseScheduleExpression('cron(0 10 * * WED *)')).toThrow(/day-of-week/);
    expect(() => parseScheduleExpression('cron(0 10 * *)')).toThrow(/six fields/);
    expect(() => parseScheduleExpression('rate(1 minutes)')).toThrow();
    expect(() => parseScheduleExpression('cron(61 10 ? * WED *)')).toThrow();
    expect(() => nextFireTime('rate(1 hour)', 'Mars/Olympus', new Date())).toThrow(RangeError);
  });

  it('writes the scheduled time as Scheduler does', () => {
    expect(schedulerTime(new Date('2026-11-25T10:00:00.000Z'))).toBe('2026-11-25T10:00:00Z');
  });
});
