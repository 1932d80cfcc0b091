// ISO 8601 durations as segment rules use them: `within: "P30D"` (a length of time back from now)
// and date values `"-P180D"` / `"+P3D"` (an instant before or after the evaluation time).
// Years and months are calendar units, applied first and clamped to the end of a shorter month
// (31 March minus P1M is 28 or 29 February), as Temporal and java.time do; weeks, days and time
// follow as fixed lengths (UTC has no daylight saving, so a day is always 24 hours).

export interface Duration {
  /** -1 for `-P...`, 1 for `+P...`, 0 when written without a sign. */
  readonly sign: -1 | 0 | 1;
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

export const DAY_MS = 86_400_000;

const PATTERN =
  /^([+-])?P(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10}(?:\.\d{1,3})?)S)?)?$/;

/** The duration a string spells, or undefined when it is not one (`P`, `PT`, `30D`, `P1.5D`). */
export const parseDuration = (text: string): Duration | undefined => {
  const m = PATTERN.exec(text);
  if (!m || text.endsWith('T')) return undefined;
  const parts = m.slice(2);
  if (parts.every((p) => p === undefined)) return undefined;
  const n = (i: number) => Number(parts[i] ?? 0);
  return {
    sign: m[1] === '-' ? -1 : m[1] === '+' ? 1 : 0,
    years: n(0),
    months: n(1),
    weeks: n(2),
    days: n(3),
    hours: n(4),
    minutes: n(5),
    seconds: n(6),
  };
};

const fixedMs = (d: Duration): number =>
  ((d.weeks * 7 + d.days) * 24 + d.hours) * 3_600_000 + d.minutes * 60_000 + Math.round(d.seconds * 1000);

/** True when the duration is zero long (`P0D`, `PT0S`). */
export const isZeroDuration = (d: Duration): boolean => d.years === 0 && d.months === 0 && fixedMs(d) === 0;

/**
 * The longest the duration can be, in days (a year counted as 366 days, a month as 31): what a
 * limit such as "at most 399 days" is checked against, whatever the evaluation date.
 */
export const longestDays = (d: Duration): number => d.years * 366 + d.months * 31 + fixedMs(d) / DAY_MS;

/** True when the duration is always shorter than a day (`PT12H`): a window day counts cannot answer. */
export const isUnderADay = (d: Duration): boolean => longestDays(d) < 1;

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * The instant `duration` after (`direction` 1) or before (-1) the instant `ms`: calendar years and
 * months first, clamped to the month's last day, then the fixed part.
 */
export const shiftInstant = (ms: number, duration: Duration, direction: 1 | -1): number => {
  let out = ms;
  const monthShift = duration.years * 12 + duration.months;
  if (monthShift !== 0) {
    const date = new Date(ms);
    const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + direction * monthShift;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
    out = Date.UTC(
      year,
      month,
      day,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    );
    // Date.UTC reads years 0-99 as 1900-1999.
    if (year >= 0 && year < 100) out = new Date(out).setUTCFullYear(year);
  }
  return out + direction * fixedMs(duration);
};

/** The UTC day number (days since 1970-01-01) of an instant. */
export const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);
