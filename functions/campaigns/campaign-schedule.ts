import { z } from 'zod';
import type { FieldError } from '../shared/domain-errors';
import { instantsOf, isTimeZone } from '../shared/zoned-time';
import { nextFireTime, parseScheduleExpression, type ScheduleExpression } from './schedule-expression';

// When a campaign runs: only when fired (`manual`), once at a local date-time in a zone, or on a
// cron in a zone (EventBridge Scheduler's syntax and semantics: the lead's adapter hands the
// expression and zone to Scheduler as they are, and the local runner fires them with the same
// parser, schedule-expression.ts). The zone is always explicit: a schedule firing in UTC instead
// of the business's zone is one of the mistakes marketers report most (Mautic #7665).

const timeZone = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/London')
  .meta({ description: 'IANA time zone the schedule is read in (daylight saving handled).' });

/** A local date-time, or one with an offset: `2026-12-24T10:00`, `2026-12-24T10:00:00+01:00`. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

export const scheduleSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('manual') }),
    z.strictObject({
      type: z.literal('once'),
      at: z
        .string()
        .regex(LOCAL_DATE_TIME, 'must be a date-time YYYY-MM-DDTHH:MM[:SS], local or with an offset')
        .meta({ description: 'Local to timeZone unless it carries an offset (Z, +01:00).' }),
      timeZone,
    }),
    z.strictObject({
      type: z.literal('recurring'),
      cron: z.string().meta({
        description:
          'An EventBridge Scheduler cron(minutes hours day-of-month month day-of-week year), at most hourly.',
        examples: ['cron(0 10 ? * WED *)'],
      }),
      timeZone,
    }),
  ])
  .meta({ id: 'CampaignSchedule' });
export type CampaignSchedule = z.infer<typeof scheduleSchema>;
type OnceSchedule = Extract<CampaignSchedule, { type: 'once' }>;

/**
 * The instant a `once` schedule fires, or why it has none: a date that does not exist, or a local
 * time the clock skips that day. A local time shown twice is its first showing.
 */
export const onceInstant = (schedule: OnceSchedule): { at: Date } | { error: string } => {
  const m = LOCAL_DATE_TIME.exec(schedule.at);
  if (!m) return { error: 'must be a date-time YYYY-MM-DDTHH:MM[:SS]' };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(wall);
  if (
    check.getUTCDate() !== day ||
    check.getUTCMonth() !== month! - 1 ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59
  )
    return { error: `${schedule.at} is not a date` };
  const offset = m[7];
  if (offset !== undefined) {
    const sign = offset.startsWith('-') ? -1 : 1;
    const minutes =
      offset === 'Z' ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    return { at: new Date(wall - minutes * 60_000) };
  }
  const instants = instantsOf(
    { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! },
    schedule.timeZone,
  );
  if (instants.length === 0)
    return { error: `${schedule.at} does not exist in ${schedule.timeZone}: the clocks go forward over it` };
  return { at: new Date(instants[0]!) };
};

/** A recurring schedule's cron, parsed, or why it cannot be used. */
export const recurringExpression = (
  cron: string,
  timeZone: string,
  now: Date,
): { expression: ScheduleExpression } | { error: string } => {
  let expression: ScheduleExpression;
  try {
    expression = parseScheduleExpression(cron);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (expression.kind !== 'cron')
    return { error: 'a recurring campaign takes a cron(...) expression; use type once for a single send' };
  // One minute value means at most one firing an hour; any more is a campaign firing every few minutes.
  if (expression.fields.minutes.size > 1)
    return {
      error: 'fires more than once an hour: a recurring campaign fires at most hourly (one minute value)',
    };
  if (nextFireTime(expression, timeZone, now) === undefined) return { error: 'never fires after now' };
  return { expression };
};

/** What is wrong with a schedule relative to `now` (the paths under `schedule`). */
export const checkSchedule = (schedule: CampaignSchedule, now: Date, path = 'schedule'): FieldError[] => {
  if (schedule.type === 'manual') return [];
  if (schedule.type === 'once') {
    const result = onceInstant(schedule);
    if ('error' in result) return [{ path: `${path}.at`, message: result.error }];
    if (result.at.getTime() <= now.getTime())
      return [{ path: `${path}.at`, message: `${result.at.toISOString()} is in the past` }];
    return [];
  }
  const result = recurringExpression(schedule.cron, schedule.timeZone, now);
  return 'error' in result ? [{ path: `${path}.cron`, message: result.error }] : [];
};

/** The next firing strictly after `after`, or undefined (manual, a once that has fired, a cron that is over). */
export const nextFiring = (schedule: CampaignSchedule, after: Date): Date | undefined => {
  if (schedule.type === 'manual') return undefined;
  if (schedule.type === 'once') {
    const result = onceInstant(schedule);
    return 'at' in result && result.at.getTime() > after.getTime() ? result.at : undefined;
  }
  return nextFireTime(schedule.cron, schedule.timeZone, after);
};

/**
 * What EventBridge Scheduler is given for a scheduled campaign: the cron and zone as written for a
 * recurring one; for a once, `at(...)` of its instant in UTC (exact even for a local time the
 * clock shows twice); undefined for manual (nothing to schedule).
 */
export const schedulerExpression = (
  schedule: CampaignSchedule,
): { expression: string; timeZone: string } | undefined => {
  if (schedule.type === 'manual') return undefined;
  if (schedule.type === 'recurring') return { expression: schedule.cron.trim(), timeZone: schedule.timeZone };
  const result = onceInstant(schedule);
  return 'at' in result
    ? { expression: `at(${result.at.toISOString().slice(0, 19)})`, timeZone: 'UTC' }
    : undefined;
};
