/**
 * Wall-clock time in IANA time zones, with nothing but the runtime's time zone data: one module
 * for the ingest date cleaning (a local date-time in a file to UTC) and the local scheduler
 * (EventBridge Scheduler's cron in a time zone).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A cached formatter giving the wall-clock fields (24-hour) of an instant in an IANA time zone;
 * throws a RangeError for a zone the runtime does not know.
 */
const zonedFormatter = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** True for an IANA time zone name the runtime knows (`Europe/London`, `Asia/Shanghai`, `UTC`). */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    zonedFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
};

/** Minutes `timeZone` is ahead of UTC at the instant `utcMs`. */
export const zoneOffsetMinutes = (timeZone: string, utcMs: number): number => {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const parts = zonedFormatter(timeZone).formatToParts(new Date(utcMs));
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

/** Wall-clock fields of an instant in an IANA time zone. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Throws a RangeError for a time zone Intl does not know. */
export const assertTimeZone = (timeZone: string): void => {
  zonedFormatter(timeZone);
};

export const wallTime = (epochMs: number, timeZone: string): WallTime => {
  const parts: Record<string, number> = {};
  for (const part of zonedFormatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
  };
};

const offsetAt = (epochMs: number, timeZone: string): number => {
  const w = wallTime(epochMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epochMs / 1000) * 1000;
};

/**
 * The instants at which the wall clock of `timeZone` shows this time: none in a spring-forward gap,
 * two in a fall-back overlap (earliest first), else one.
 */
export const instantsOf = (wall: WallTime, timeZone: string): number[] => {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const offsets = new Set([
    offsetAt(asUtc - 86_400_000, timeZone),
    offsetAt(asUtc, timeZone),
    offsetAt(asUtc + 86_400_000, timeZone),
  ]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = asUtc - offset;
    const back = wallTime(candidate, timeZone);
    if (
      back.year === wall.year &&
      back.month === wall.month &&
      back.day === wall.day &&
      back.hour === wall.hour &&
      back.minute === wall.minute &&
      back.second === wall.second
    ) {
      found.add(candidate);
    }
  }
  return [...found].sort((a, b) => a - b);
};
