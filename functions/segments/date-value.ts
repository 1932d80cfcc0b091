import { z } from 'zod';
import { type Duration, longestDays, parseDuration, shiftInstant } from './duration';

// The value of a date comparison: an ISO 8601 date-time with a zone (`2025-01-01T00:00:00Z`), a date
// (`2025-01-01`, midnight UTC), or a signed duration from the evaluation time (`-P180D` 180 days
// ago, `+P3D` three days ahead). Resolved once per evaluation, never per profile.

export type DateValue =
  | { readonly kind: 'instant'; readonly ms: number }
  | { readonly kind: 'relative'; readonly duration: Duration };

const DATE_TIME = z.iso.datetime({ offset: true });
const DATE = z.iso.date();

/** Relative dates reach at most this far (a birth date 150 years back is still a date). */
export const MAX_RELATIVE_DAYS = 200 * 366;

export const DATE_VALUE_HINT =
  'an ISO 8601 date-time with a zone (2025-01-01T00:00:00Z), a date (2025-01-01) or a signed duration from now (-P180D, +P3D)';

/** The date a rule value spells, or why not. */
export const parseDateValue = (value: unknown): DateValue | { readonly reason: string } => {
  if (typeof value !== 'string') return { reason: `must be ${DATE_VALUE_HINT}` };
  if (value.startsWith('P') || value.startsWith('-P') || value.startsWith('+P')) {
    const duration = parseDuration(value);
    if (!duration) return { reason: `${value} is not an ISO 8601 duration such as -P180D, -PT12H or -P1Y2M` };
    if (duration.sign === 0)
      return { reason: `a duration needs a sign: -${value} for that long ago, +${value} for that far ahead` };
    if (longestDays(duration) > MAX_RELATIVE_DAYS) return { reason: `${value} reaches more than 200 years` };
    return { kind: 'relative', duration };
  }
  if (DATE.safeParse(value).success) return { kind: 'instant', ms: Date.parse(`${value}T00:00:00Z`) };
  if (DATE_TIME.safeParse(value).success) return { kind: 'instant', ms: Date.parse(value) };
  return { reason: `must be ${DATE_VALUE_HINT}` };
};

export const isDateValue = (v: DateValue | { readonly reason: string }): v is DateValue => 'kind' in v;

/** The instant a date value stands for at `nowMs`. */
export const resolveDateValue = (value: DateValue, nowMs: number): number =>
  value.kind === 'instant'
    ? value.ms
    : shiftInstant(nowMs, value.duration, value.duration.sign === -1 ? -1 : 1);

/** The UTC calendar date (YYYY-MM-DD) of an instant: what `date` fields such as birthDate compare with. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
