import { z } from 'zod';
import { instantsOf, zoneOffsetMinutes } from '../shared/zoned-time';

// A wall-clock time of day, "HH:MM" (24-hour), as a campaign's localTime and quiet hours are
// written, and the instants at which a time zone's clock shows it. Days where the clock jumps are
// the hard part: a time inside a spring-forward gap never shows, so it is taken as the instant the
// clock jumps past it (02:30 in New York on the second Sunday of March is 03:00 EDT, the first
// moment it is "02:30 or later"); a time that shows twice when clocks go back is its first showing.

export const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

export const clockTimeSchema = z
  .string()
  .regex(CLOCK_TIME_PATTERN, 'must be a 24-hour time HH:MM, such as 09:30')
  .meta({ description: 'A wall-clock time of day, HH:MM (24-hour), in the recipient’s time zone.' });

/** Minutes after midnight of "HH:MM" (assumed valid: see clockTimeSchema). */
export const minutesOfDay = (clockTime: string): number =>
  Number(clockTime.slice(0, 2)) * 60 + Number(clockTime.slice(3, 5));

/** A calendar date, as the wall clock of some zone shows it. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

// Reading a zone's clock through Intl costs 5-8 µs an instant, most of a recipient's decision, and
// a run asks it for every recipient at nearly the same instant. Clocks change only at whole quarter
// hours of UTC (every rule in use changes at :00 or :30 local, with offsets in quarter hours), so a
// zone's offset is the same throughout a quarter hour and is read once per zone and quarter hour.
const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();

/** Minutes `timeZone` is ahead of UTC at an instant, cached per zone and quarter hour of UTC. */
export const offsetMinutesAt = (epochMs: number, timeZone: string): number => {
  const quarter = Math.floor(epochMs / QUARTER_HOUR);
  const key = `${timeZone} ${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= 10_000) offsets.clear();
    offset = zoneOffsetMinutes(timeZone, quarter * QUARTER_HOUR);
    offsets.set(key, offset);
  }
  return offset;
};

/** The instant's wall clock as if it were UTC: its fields are the zone's date and time. */
const asWallClock = (epochMs: number, timeZone: string): Date =>
  new Date(epochMs + offsetMinutesAt(epochMs, timeZone) * 60_000);

/** The date the clock of `timeZone` shows at an instant. */
export const localDateOf = (epochMs: number, timeZone: string): LocalDate => {
  const wall = asWallClock(epochMs, timeZone);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
};

/** Minutes after midnight the clock of `timeZone` shows at an instant (seconds dropped). */
export const localMinutesOf = (epochMs: number, timeZone: string): number => {
  const wall = asWallClock(epochMs, timeZone);
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
};

/** The date `days` after (or before) a date. */
export const addDays = (date: LocalDate, days: number): LocalDate => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

const MINUTE = 60_000;

/**
 * The instants at which the clock of `timeZone` on `date` first reads `minutes` after midnight or
 * later: the one or two instants showing exactly that time, or, in a spring-forward gap, the
 * instant the clock jumps past it. Earliest first.
 */
export const instantsAtClockTime = (date: LocalDate, minutes: number, timeZone: string): number[] => {
  const wall = { ...date, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 };
  const exact = instantsOf(wall, timeZone);
  if (exact.length > 0) return exact;
  // In a gap: read with the offset before the jump the time lands after it, with the offset after
  // it before; the jump is the first minute in between whose offset is the later one.
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, wall.hour, wall.minute);
  const before = zoneOffsetMinutes(timeZone, asUtc - 86_400_000);
  const after = zoneOffsetMinutes(timeZone, asUtc + 86_400_000);
  let lo = asUtc - after * MINUTE;
  let hi = asUtc - before * MINUTE;
  if (lo > hi) [lo, hi] = [hi, lo];
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (zoneOffsetMinutes(timeZone, mid) === after) hi = mid;
    else lo = mid;
  }
  return [hi];
};

/**
 * The first instant strictly after `afterMs` at which the clock of `timeZone` reaches `minutes`
 * after midnight (see instantsAtClockTime for the days the clock jumps).
 */
export const nextClockTime = (afterMs: number, minutes: number, timeZone: string): number => {
  const today = localDateOf(afterMs, timeZone);
  for (let days = 0; days < 3; days++) {
    const found = instantsAtClockTime(addDays(today, days), minutes, timeZone).find((t) => t > afterMs);
    if (found !== undefined) return found;
  }
  throw new Error(`no ${minutes} minutes after midnight in ${timeZone} within 3 days`);
};
