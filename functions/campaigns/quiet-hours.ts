import { z } from 'zod';
import { clockTimeSchema, localMinutesOf, minutesOfDay, nextClockTime } from './clock-time';

// Quiet hours: no message while the recipient's clock is inside the window. A message that falls
// due then is held and sent when the window ends (as Braze does), not dropped: the customer still
// gets the offer, just not at night. A message held too long is stale (a "this weekend only" text
// arriving on Monday), so one that would go out more than 24 hours after it first fell due is
// `expired` instead.

export const quietHoursSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
  .meta({ description: 'From start (inclusive) to end (exclusive); start after end wraps midnight.' });
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** The default window: no marketing message between 21:00 and 08:00 in the recipient's zone. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** A held message later than this after it first fell due is not sent. */
export const MAX_DEFERRAL_MS = 24 * 3600 * 1000;

export type QuietHoursDecision =
  | { readonly send: true }
  | { readonly deferUntil: Date }
  | { readonly expired: true };

/** Whether a clock reading (minutes after midnight) is inside the window; start === end is empty. */
export const insideQuietHours = (minutes: number, quiet: QuietHours): boolean => {
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
};

/** True when a message first due at `dueAt` would go out at `sendAt` too late to be worth it. */
export const isExpired = (dueAt: Date, sendAt: Date): boolean =>
  sendAt.getTime() - dueAt.getTime() > MAX_DEFERRAL_MS;

/**
 * Send now, or hold until the window ends in the recipient's zone (the first instant the clock
 * reads `end` or later: on a day the clock jumps over it, the jump), or `expired` when that (or
 * `now` itself) is more than 24 hours after `dueAt` (default: now, a message just due).
 */
export const quietHoursDecision = (
  now: Date,
  timeZone: string,
  quiet: QuietHours = DEFAULT_QUIET_HOURS,
  dueAt: Date = now,
): QuietHoursDecision => {
  const nowMs = now.getTime();
  if (!insideQuietHours(localMinutesOf(nowMs, timeZone), quiet)) {
    return isExpired(dueAt, now) ? { expired: true } : { send: true };
  }
  const end = minutesOfDay(quiet.end);
  let until = nextClockTime(nowMs, end, timeZone);
  // A clock jumping over the only open minutes of a nearly day-long window stays inside it: the
  // window ends at the next day's end then.
  for (let i = 0; i < 3 && insideQuietHours(localMinutesOf(until, timeZone), quiet); i++)
    until = nextClockTime(until, end, timeZone);
  const deferUntil = new Date(clockChangeOutside(nowMs, until, timeZone, quiet) ?? until);
  return isExpired(dueAt, deferUntil) ? { expired: true } : { deferUntil };
};

const MINUTE_MS = 60_000;
/** The zone's offset from UTC at an instant, in minutes (mod a day). */
const offsetAt = (ms: number, timeZone: string): number =>
  (localMinutesOf(ms, timeZone) - Math.floor((ms % 86_400_000) / MINUTE_MS) + 1440) % 1440;

/**
 * When the clocks change between `fromMs` and `untilMs` and the new time is outside the window,
 * that instant: the clock leaves the window there, before it reads `end` (fall-back night, a
 * window 01:01-02:00 in New York: at 02:00 EDT the clock reads 01:00 EST, outside). Found by
 * bisection on the offset, to the minute (zones change on whole minutes); at most one change a day.
 */
const clockChangeOutside = (
  fromMs: number,
  untilMs: number,
  timeZone: string,
  quiet: QuietHours,
): number | undefined => {
  const before = offsetAt(fromMs, timeZone);
  if (offsetAt(untilMs, timeZone) === before) return undefined;
  let lo = Math.floor(fromMs / MINUTE_MS);
  let hi = Math.ceil(untilMs / MINUTE_MS);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * MINUTE_MS, timeZone) === before) lo = mid;
    else hi = mid;
  }
  const change = hi * MINUTE_MS;
  return change < untilMs && !insideQuietHours(localMinutesOf(change, timeZone), quiet) ? change : undefined;
};
