import { assertTimeZone, instantsOf, wallTime } from '../shared/zoned-time';

/**
 * EventBridge Scheduler expressions: `cron(minutes hours day-of-month month day-of-week year)`,
 * `rate(value unit)` and `at(yyyy-mm-ddThh:mm:ss)`, the first and last read in the schedule's time
 * zone. Cron supports `*`, `?`, lists, ranges, `/` steps, month and weekday names, and `L` (last
 * day of the month in day-of-month; Saturday, alone, in day-of-week). Not supported: `W`, `#`,
 * `nL`.
 */
export type ScheduleExpression =
  | { readonly kind: 'cron'; readonly source: string; readonly fields: CronFields }
  | { readonly kind: 'rate'; readonly source: string; readonly everyMs: number }
  | {
      readonly kind: 'at';
      readonly source: string;
      readonly wall: readonly [number, number, number, number, number, number];
    };

export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** undefined when `?`. */
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly lastDayOfMonth: boolean;
  readonly months: ReadonlySet<number>;
  /** 1 = Sunday ... 7 = Saturday; undefined when `?`. */
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  /** undefined when `*`. */
  readonly years: ReadonlySet<number> | undefined;
}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const parseField = (
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 1,
): Set<number> => {
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameBase : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${token}" is not in ${min}-${max}`);
    return n;
  };
  const result = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${item}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from > to) throw new Error(`bad range "${range}"`);
    for (let n = from; n <= to; n += step) result.add(n);
  }
  return result;
};

export const parseScheduleExpression = (source: string): ScheduleExpression => {
  const text = source.trim();
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    if (value < 1) throw new Error(`Invalid rate expression ${source}`);
    if ((value === 1) !== !unit.endsWith('s'))
      throw new Error(
        `Invalid rate expression ${source}: use ${value === 1 ? 'the singular' : 'the plural'}`,
      );
    const unitMs = unit.startsWith('minute') ? 60_000 : unit.startsWith('hour') ? 3_600_000 : 86_400_000;
    return { kind: 'rate', source: text, everyMs: value * unitMs };
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (at) {
    const [, y, mo, d, h, mi, s] = at.map(Number) as [number, number, number, number, number, number, number];
    return { kind: 'at', source: text, wall: [y, mo, d, h, mi, s] };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) throw new Error(`Invalid schedule expression ${source}`);
  const parts = cron[1]!.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`Invalid cron expression ${source}: six fields expected`);
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  try {
    if ((dom === '?') === (dow === '?'))
      throw new Error('exactly one of day-of-month and day-of-week must be ?');
    if (/W/.test(dom) || dow.includes('#') || /\dL/.test(dow))
      throw new Error('W, # and nL are not supported locally');
    const lastDayOfMonth = dom === 'L';
    return {
      kind: 'cron',
      source: text,
      fields: {
        minutes: parseField(min, 0, 59),
        hours: parseField(hour, 0, 23),
        daysOfMonth: dom === '?' ? undefined : lastDayOfMonth ? new Set() : parseField(dom, 1, 31),
        lastDayOfMonth,
        months: parseField(month, 1, 12, monthNames),
        daysOfWeek: dow === '?' ? undefined : dow === 'L' ? new Set([7]) : parseField(dow, 1, 7, dayNames),
        years: year === '*' ? undefined : parseField(year, 1970, 2199),
      },
    };
  } catch (error) {
    throw new Error(`Invalid cron expression ${source}: ${(error as Error).message}`);
  }
};

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const dayMatches = (f: CronFields, year: number, month: number, day: number): boolean => {
  if (f.daysOfWeek !== undefined) {
    return f.daysOfWeek.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1);
  }
  if (f.lastDayOfMonth) return day === daysInMonth(year, month);
  return f.daysOfMonth?.has(day) ?? false;
};

const sorted = (values: ReadonlySet<number>): number[] => [...values].sort((a, b) => a - b);

export interface NextFireOptions {
  /** For `rate(...)`: the instant the schedule started (firings are start + k x rate). Default: `after`. */
  readonly startedAt?: Date;
}

/**
 * The first firing strictly after `after`, or undefined when there is none (an `at` in the past, a
 * cron whose years are over). As EventBridge Scheduler does around daylight-saving changes, a wall
 * time that does not exist (spring forward) is skipped and one that occurs twice (fall back) fires once.
 */
export const nextFireTime = (
  expression: ScheduleExpression | string,
  timeZone: string,
  after: Date,
  options: NextFireOptions = {},
): Date | undefined => {
  const parsed = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  assertTimeZone(timeZone);
  const afterMs = after.getTime();
  if (parsed.kind === 'rate') {
    const start = (options.startedAt ?? after).getTime();
    if (start > afterMs) return new Date(start);
    const k = Math.floor((afterMs - start) / parsed.everyMs) + 1;
    return new Date(start + k * parsed.everyMs);
  }
  if (parsed.kind === 'at') {
    const [year, month, day, hour, minute, second] = parsed.wall;
    const instant = instantsOf({ year, month, day, hour, minute, second }, timeZone)[0];
    return instant !== undefined && instant > afterMs ? new Date(instant) : undefined;
  }
  const f = parsed.fields;
  const hours = sorted(f.hours);
  const minutes = sorted(f.minutes);
  const start = wallTime(afterMs, timeZone);
  const lastYear = f.years ? Math.max(...f.years) : start.year + 30;
  let date = new Date(Date.UTC(start.year, start.month - 1, start.day));
  // Walk the calendar of the time zone day by day from the day of `after`.
  for (
    let guard = 0;
    guard < 366 * 31 && date.getUTCFullYear() <= lastYear;
    guard++, date = new Date(date.getTime() + 86_400_000)
  ) {
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (f.years && !f.years.has(year)) continue;
    if (!f.months.has(month) || !dayMatches(f, year, month, day)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const instant = instantsOf({ year, month, day, hour, minute, second: 0 }, timeZone)[0];
        if (instant !== undefined && instant > afterMs) return new Date(instant);
      }
    }
  }
  return undefined;
};

/** `2026-11-25T10:00:00Z`: how Scheduler writes `<aws.scheduler.scheduled-time>`. */
export const schedulerTime = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;
