import { zonedFormatter } from '../../functions/shared/zoned-formatter';

/** Wall-clock fields of an instant in an IANA time zone. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatter = zonedFormatter;

/** Throws a RangeError for a time zone Intl does not know. */
export const assertTimeZone = (timeZone: string): void => {
  formatter(timeZone);
};

export const wallTime = (epochMs: number, timeZone: string): WallTime => {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
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
