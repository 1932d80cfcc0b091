import { describe, expect, it } from 'vitest';
import {
  type CampaignSchedule,
  checkSchedule,
  nextFiring,
  onceInstant,
  schedulerExpression,
  scheduleSchema,
} from './campaign-schedule';

const now = new Date('2026-11-23T12:00:00Z'); // a Monday
const once = (at: string, timeZone = 'Europe/London'): CampaignSchedule => ({ type: 'once', at, timeZone });
const recurring = (cron: string, timeZone = 'Europe/London'): CampaignSchedule => ({
  type: 'recurring',
  cron,
  timeZone,
});
const errors = (schedule: CampaignSchedule) => checkSchedule(schedule, now);

describe('once', () => {
  it('reads a local date-time in its zone, or one with an offset as written', () => {
    expect(onceInstant({ type: 'once', at: '2026-12-24T10:00', timeZone: 'Europe/London' })).toEqual({
      at: new Date('2026-12-24T10:00:00Z'),
    });
    expect(onceInstant({ type: 'once', at: '2026-07-01T10:00:00', timeZone: 'Europe/London' })).toEqual({
      at: new Date('2026-07-01T09:00:00Z'),
    });
    expect(onceInstant({ type: 'once', at: '2026-07-01T10:00:00-04:00', timeZone: 'Europe/London' })).toEqual(
      { at: new Date('2026-07-01T14:00:00Z') },
    );
    expect(onceInstant({ type: 'once', at: '2026-07-01T10:00:00Z', timeZone: 'Asia/Tokyo' })).toEqual({
      at: new Date('2026-07-01T10:00:00Z'),
    });
  });

  it('refuses a time in the past, a date that does not exist and a time the clocks skip', () => {
    expect(errors(once('2026-11-23T11:59'))).toEqual([
      { path: 'schedule.at', message: '2026-11-23T11:59:00.000Z is in the past' },
    ]);
    expect(errors(once('2026-11-23T12:00'))).toHaveLength(1);
    expect(errors(once('2026-11-23T12:01'))).toEqual([]);
    expect(errors(once('2027-02-29T10:00'))[0]).toEqual({
      path: 'schedule.at',
      message: '2027-02-29T10:00 is not a date',
    });
    expect(errors(once('2027-01-01T10:75'))[0]?.message).toMatch(/not a date/);
    expect(errors(once('2027-03-28T01:30'))).toEqual([
      {
        path: 'schedule.at',
        message: '2027-03-28T01:30 does not exist in Europe/London: the clocks go forward over it',
      },
    ]);
  });

  it('is given to Scheduler as at() in UTC, exact even for a time shown twice', () => {
    expect(schedulerExpression(once('2026-12-24T10:00', 'America/New_York'))).toEqual({
      expression: 'at(2026-12-24T15:00:00)',
      timeZone: 'UTC',
    });
    expect(schedulerExpression(once('2027-10-31T01:30:00+00:00'))).toEqual({
      expression: 'at(2027-10-31T01:30:00)',
      timeZone: 'UTC',
    });
  });
});

describe('recurring', () => {
  it('takes an EventBridge cron and fires in its zone', () => {
    expect(errors(recurring('cron(0 10 ? * WED *)'))).toEqual([]);
    expect(nextFiring(recurring('cron(0 10 ? * WED *)'), now)).toEqual(new Date('2026-11-25T10:00:00Z'));
    expect(nextFiring(recurring('cron(0 10 ? * WED *)', 'America/New_York'), now)).toEqual(
      new Date('2026-11-25T15:00:00Z'),
    );
    expect(schedulerExpression(recurring(' cron(0 10 ? * WED *) '))).toEqual({
      expression: 'cron(0 10 ? * WED *)',
      timeZone: 'Europe/London',
    });
  });

  it('refuses a bad cron, rate and at, one firing more than hourly, one that never fires again', () => {
    expect(errors(recurring('cron(0 10 * * WED *)'))[0]).toMatchObject({
      path: 'schedule.cron',
      message: expect.stringMatching(/day-of-week/),
    });
    expect(errors(recurring('cron(0 25 ? * WED *)'))[0]?.message).toMatch(/not in 0-23/);
    expect(errors(recurring('rate(1 day)'))[0]?.message).toMatch(/takes a cron/);
    expect(errors(recurring('at(2027-01-01T10:00:00)'))[0]?.message).toMatch(/takes a cron/);
    expect(errors(recurring('cron(0,30 * ? * * *)'))[0]?.message).toMatch(/more than once an hour/);
    expect(errors(recurring('cron(*/5 9 ? * MON *)'))[0]?.message).toMatch(/more than once an hour/);
    expect(errors(recurring('cron(0 * ? * * *)'))).toEqual([]);
    expect(errors(recurring('cron(0 10 1 JAN ? 2025)'))).toEqual([
      { path: 'schedule.cron', message: 'never fires after now' },
    ]);
  });
});

describe('the schedule schema', () => {
  it('needs a known time zone and a date-time shape', () => {
    expect(
      scheduleSchema.safeParse({ type: 'once', at: '2026-12-24T10:00', timeZone: 'Mars/Olympus' }).success,
    ).toBe(false);
    expect(scheduleSchema.safeParse({ type: 'once', at: '24/12/2026 10:00', timeZone: 'UTC' }).success).toBe(
      false,
    );
    expect(scheduleSchema.safeParse({ type: 'recurring', cron: 'cron(0 10 ? * WED *)' }).success).toBe(false);
    expect(scheduleSchema.safeParse({ type: 'manual' }).success).toBe(true);
  });

  it('has no firing for manual, nor for a once that has fired', () => {
    expect(nextFiring({ type: 'manual' }, now)).toBeUndefined();
    expect(schedulerExpression({ type: 'manual' })).toBeUndefined();
    expect(nextFiring(once('2026-12-24T10:00'), new Date('2026-12-24T10:00:00Z'))).toBeUndefined();
  });
});
