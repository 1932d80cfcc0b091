import { zonedFormatter } from '../shared/zoned-formatter';

const formatterFor = zonedFormatter;

/** True for an IANA time zone name the runtime knows (`Europe/London`, `Asia/Shanghai`, `UTC`). */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};

/** Minutes `timeZone` is ahead of UTC at the instant `utcMs`. */
export const zoneOffsetMinutes = (timeZone: string, utcMs: number): number => {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - (utcMs - (((utcMs % 1000) + 1000) % 1000))) / 60_000);
};

/**
 * The UTC instant of a wall-clock time in `timeZone` (no date library: the runtime's time zone data).
 * In a daylight-saving gap the time is read with the offset before the change; in an overlap, the
 * first of the two instants.
 */
export const zonedTimeToUtc = (wallClockAsUtcMs: number, timeZone: string): number => {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return wallClockAsUtcMs;
  const first = zoneOffsetMinutes(timeZone, wallClockAsUtcMs);
  const guess = wallClockAsUtcMs - first * 60_000;
  const second = zoneOffsetMinutes(timeZone, guess);
  if (second === first) return guess;
  const other = wallClockAsUtcMs - second * 60_000;
  return zoneOffsetMinutes(timeZone, other) === second ? Math.min(guess, other) : guess;
};
