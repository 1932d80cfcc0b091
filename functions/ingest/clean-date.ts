import { zonedTimeToUtc } from '../shared/zoned-time';
import { nfkc } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';
import type { DATE_FORMATS } from './manifest';

export type DateFormat = (typeof DATE_FORMATS)[number];
/** Day-first (`31/12/2024`) or month-first (`12/31/2024`) reading of `nn/nn/yyyy` values. */
export type DateOrder = 'DMY' | 'MDY';

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly hasTime: boolean;
  /** Minutes ahead of UTC when the value names its zone (`Z`, `+08:00`). */
  readonly offsetMinutes?: number;
}

export interface DateOptions {
  /** Declared (manifest `dateFormat`): decides D/M order; values in another order are refused. */
  readonly format?: DateFormat;
  /** The file's order, detected from values with a day above 12 (see `DateOrderDetector`). */
  readonly order?: DateOrder;
  /** Order for ambiguous values when neither is known (from the default country); warned. */
  readonly fallbackOrder?: DateOrder;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(am|pm|a\.m\.|p\.m\.)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?`;
const YMD = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:t|\s+)${TIME})?$`, 'i');
const COMPACT = new RegExp(String.raw`^(\d{4})(\d{2})(\d{2})(?:(?:t|\s+)${TIME})?$`, 'i');
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:(?:t|\s+)${TIME})?$`, 'i');
const CJK = new RegExp(String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*${TIME})?$`, 'i');
const NAMED_DMY = new RegExp(
  String.raw`^(\d{1,2})(?:st|nd|rd|th)?[-\s.]*([a-z]{3,9})\.?[-\s.,]*(\d{4}|\d{2})(?:\s+${TIME})?$`,
  'i',
);
const NAMED_MDY = new RegExp(
  String.raw`^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:\s+${TIME})?$`,
  'i',
);
const EXCEL_SERIAL = /^\d{5}(?:\.\d+)?$/;

const MONTHS: Record<string, number> = {};
[
  ['jan', 'january'],
  ['feb', 'february'],
  ['mar', 'march'],
  ['apr', 'april'],
  ['may'],
  ['jun', 'june'],
  ['jul', 'july'],
  ['aug', 'august'],
  ['sep', 'sept', 'september'],
  ['oct', 'october'],
  ['nov', 'november'],
  ['dec', 'december'],
].forEach((names, i) => {
  for (const n of names) MONTHS[n] = i + 1;
});

const ORDER_OF_FORMAT: Record<DateFormat, DateOrder | 'YMD'> = {
  'YYYY-MM-DD': 'YMD',
  YYYYMMDD: 'YMD',
  'YYYY/MM/DD': 'YMD',
  'DD/MM/YYYY': 'DMY',
  'DD.MM.YYYY': 'DMY',
  'DD-MM-YYYY': 'DMY',
  'MM/DD/YYYY': 'MDY',
};
const FORMAT_OF_ORDER: Record<DateOrder, string> = { DMY: 'DD/MM/YYYY', MDY: 'MM/DD/YYYY' };

/** Countries writing month first; every other country is read day first. */
const MONTH_FIRST_COUNTRIES = new Set(['US', 'PH', 'FM', 'MH', 'PW', 'GU', 'AS', 'MP', 'PR', 'VI', 'UM']);
export const dateOrderOfCountry = (country: string | undefined): DateOrder =>
  country && MONTH_FIRST_COUNTRIES.has(country.toUpperCase()) ? 'MDY' : 'DMY';

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

const THIS_YEAR = new Date().getUTCFullYear();
const fullYear = (yy: string): number => {
  if (yy.length === 4) return Number(yy);
  const n = Number(yy);
  return 2000 + n > THIS_YEAR ? 1900 + n : 2000 + n;
};

interface Time {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  hasTime: boolean;
  offsetMinutes?: number;
}

const NO_TIME: Time = { hour: 0, minute: 0, second: 0, millisecond: 0, hasTime: false };

/** Reads the TIME groups starting at `at`; undefined when they are out of range. */
const timeOf = (m: RegExpExecArray, at: number): Time | undefined => {
  if (m[at] === undefined) return NO_TIME;
  let hour = Number(m[at]);
  const minute = Number(m[at + 1]);
  const second = m[at + 2] === undefined ? 0 : Number(m[at + 2]);
  const millisecond = m[at + 3] === undefined ? 0 : Math.floor(Number(`0.${m[at + 3]}`) * 1000);
  const meridiem = m[at + 4]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    if (meridiem.startsWith('p') && hour !== 12) hour += 12;
    if (meridiem.startsWith('a') && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[at + 5]?.toLowerCase();
  let offsetMinutes: number | undefined;
  if (zone === 'z' || zone === 'utc' || zone === 'gmt') offsetMinutes = 0;
  else if (zone) {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const hh = Number(digits.slice(1, 3));
    const mm = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
    if (hh > 14 || mm > 59) return undefined;
    offsetMinutes = sign * (hh * 60 + mm);
  }
  return offsetMinutes === undefined
    ? { hour, minute, second, millisecond, hasTime: true }
    : { hour, minute, second, millisecond, hasTime: true, offsetMinutes };
};

/** Which order a `nn/nn/yyyy` value proves: `DMY` when the first number is a day above 12, etc. */
export const dateOrderEvidence = (value: string): DateOrder | undefined => {
  const m = NUMERIC.exec(value.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (a > 12 && b >= 1 && b <= 12 && a <= 31) return 'DMY';
  if (b > 12 && a >= 1 && a <= 12 && b <= 31) return 'MDY';
  return undefined;
};

/**
 * Decides a file's D/M order from its values: feed it cells (any column); the order is the one
 * the values with a number above 12 prove, by majority when both occur (reported as mixed).
 */
export class DateOrderDetector {
  dayFirst = 0;
  monthFirst = 0;
  observe(value: string): void {
    if (value.length < 6 || value.length > 40) return;
    const evidence = dateOrderEvidence(value);
    if (evidence === 'DMY') this.dayFirst++;
    else if (evidence === 'MDY') this.monthFirst++;
  }
  get order(): DateOrder | undefined {
    if (this.dayFirst === this.monthFirst) return undefined;
    return this.dayFirst > this.monthFirst ? 'DMY' : 'MDY';
  }
  /** Human-readable account of the decision, for the import report. */
  get explanation(): string | undefined {
    const { dayFirst, monthFirst } = this;
    if (dayFirst === 0 && monthFirst === 0) return undefined;
    const order = this.order;
    if (!order)
      return `day/month order undecided: ${dayFirst} values read day first, ${monthFirst} month first`;
    const proof = order === 'DMY' ? dayFirst : monthFirst;
    const against = order === 'DMY' ? monthFirst : dayFirst;
    const which = order === 'DMY' ? 'first' : 'second';
    const mixed = against > 0 ? ` (${against} values disagree)` : '';
    return `dates read as ${FORMAT_OF_ORDER[order]}: ${proof} values have a number above 12 ${which}${mixed}`;
  }
}

const partsOf = (year: number, month: number, day: number, time: Time): DateParts | undefined => {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    return undefined;
  }
  return { year, month, day, ...time };
};

/**
 * A date or date-time in any common spelling, as parts: ISO (`2024-01-05`, `2024-01-05T13:45:00Z`),
 * `YYYY/MM/DD`, `YYYYMMDD`, `DD/MM/YYYY` or `MM/DD/YYYY` (also `.` and `-`, two-digit years),
 * `2024年1月5日`, `5 Jan 2024`, `Jan 5, 2024`, and Excel serial day numbers (warned).
 */
export const parseDateParts = (
  input: string,
  field: string,
  options: DateOptions = {},
): Cleaned<DateParts> => {
  const text = nfkc(input).trim();
  const invalid = () => bad<DateParts>(`${field}: ${text} is not a valid date`);
  const declared = options.format ? ORDER_OF_FORMAT[options.format] : undefined;
  let m = YMD.exec(text);
  if (m) {
    const time = timeOf(m, 5);
    const parts = time && partsOf(Number(m[1]), Number(m[3]), Number(m[4]), time);
    return parts ? ok(parts) : invalid();
  }
  m = COMPACT.exec(text);
  if (m) {
    const time = timeOf(m, 4);
    const parts = time && partsOf(Number(m[1]), Number(m[2]), Number(m[3]), time);
    return parts ? ok(parts) : invalid();
  }
  m = CJK.exec(text);
  if (m) {
    const time = timeOf(m, 4);
    const parts = time && partsOf(Number(m[1]), Number(m[2]), Number(m[3]), time);
    return parts ? ok(parts) : invalid();
  }
  m = NUMERIC.exec(text);
  if (m) {
    if (declared === 'YMD') return bad(`${field}: ${text} is not in the declared format ${options.format}`);
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = fullYear(m[4]!);
    const time = timeOf(m, 5);
    if (!time) return invalid();
    const warnings: string[] = [];
    if (m[4]!.length === 2) warnings.push(`${field}: two-digit year ${m[4]} read as ${year}`);
    const evidence = dateOrderEvidence(text);
    let order: DateOrder;
    if (declared) {
      order = declared;
      if (evidence && evidence !== declared) {
        return bad(`${field}: ${text} is not a valid date in the declared format ${options.format}`);
      }
    } else if (evidence) {
      order = evidence;
      if (options.order && options.order !== evidence) {
        warnings.push(
          `${field}: ${text} can only be ${FORMAT_OF_ORDER[evidence]}, unlike the rest of the file`,
        );
      }
    } else if (a === b) order = 'DMY';
    else if (options.order) order = options.order;
    else {
      order = options.fallbackOrder ?? 'DMY';
      warnings.push(`${field}: ${text} is ambiguous, read as ${FORMAT_OF_ORDER[order]}`);
    }
    const parts = order === 'DMY' ? partsOf(year, b, a, time) : partsOf(year, a, b, time);
    return parts ? ok(parts, warnings.length > 0 ? warnings : undefined) : invalid();
  }
  m = NAMED_DMY.exec(text);
  if (m && MONTHS[m[2]!.toLowerCase()]) {
    const time = timeOf(m, 4);
    const parts = time && partsOf(fullYear(m[3]!), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]), time);
    return parts ? ok(parts) : invalid();
  }
  m = NAMED_MDY.exec(text);
  if (m && MONTHS[m[1]!.toLowerCase()]) {
    const time = timeOf(m, 4);
    const parts = time && partsOf(Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2]), time);
    return parts ? ok(parts) : invalid();
  }
  if (EXCEL_SERIAL.test(text)) {
    const serial = Number(text);
    if (serial >= 20_000 && serial < 80_000) {
      const ms = Math.round((serial - 25_569) * 86_400_000);
      const d = new Date(ms);
      const hasTime = ms % 86_400_000 !== 0;
      return ok(
        {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
          millisecond: 0,
          hasTime,
        },
        [`${field}: ${text} read as an Excel serial date`],
      );
    }
  }
  return invalid();
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A calendar date `YYYY-MM-DD` (a time of day, if any, is ignored; a non-midnight one is warned). */
export const cleanDate = (input: string, field: string, options: DateOptions = {}): Cleaned<string> => {
  const parsed = parseDateParts(input, field, options);
  if ('reason' in parsed) return parsed;
  const p = parsed.value;
  const value = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  if (p.hasTime && (p.hour !== 0 || p.minute !== 0 || p.second !== 0)) {
    return ok(value, [...parsed.warnings, `${field}: time of day ignored`]);
  }
  return ok(value, parsed.warnings);
};

/**
 * An instant as ISO 8601 UTC (`2024-01-05T13:45:00.000Z`). A value without a zone is a wall-clock
 * time in `timeZone` (default UTC); a date alone is midnight there.
 */
export const cleanDateTime = (
  input: string,
  field: string,
  options: DateOptions & { readonly timeZone?: string } = {},
): Cleaned<string> => {
  const parsed = parseDateParts(input, field, options);
  if ('reason' in parsed) return parsed;
  const p = parsed.value;
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond);
  const utc =
    p.offsetMinutes !== undefined
      ? wall - p.offsetMinutes * 60_000
      : zonedTimeToUtc(wall, options.timeZone ?? 'UTC');
  return ok(new Date(utc).toISOString(), parsed.warnings);
};
