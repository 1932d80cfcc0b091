import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhoneType } from '../profiles/profile';
import { nfkc } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';

/** One name for a phone's type, the profile's own (cleaning never says `other`). */
export type { PhoneType };

export interface CleanPhone {
  /** E.164, e.g. `+447911123456`. */
  readonly e164: string;
  /** From the full metadata: `mobile`, `landline`, `voip`, or `unknown` (e.g. US numbers, pagers). */
  readonly type: PhoneType;
}

const TYPES: Record<string, PhoneType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'landline',
  VOIP: 'voip',
};

const TEL_PREFIX = /^tel:/i;
/** Excel turned the number into a float and rounded it: the digits are lost. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
const DIGITS_ONLY = /^\d{8,15}$/;
const NON_DIGITS = /\D/g;

type Parsed = NonNullable<ReturnType<typeof parsePhoneNumberFromString>>;

/**
 * The number's type, `''` for a valid number of no known type, undefined when invalid. With the
 * full metadata a number is valid exactly when it has a type, so valid numbers (the common case) cost
 * one pass over the type patterns instead of two (`isValid` and `getType` each run them).
 */
const typeOf = (parsed: Parsed | undefined): string | undefined => {
  if (!parsed) return undefined;
  const type = parsed.getType();
  if (type !== undefined) return type;
  return parsed.isValid() ? '' : undefined;
};

const parse = (text: string, country: string | undefined) =>
  parsePhoneNumberFromString(text, {
    defaultCountry: country as CountryCode | undefined,
    extract: false,
  });

/** Results by field, country and input (bounded; cleared when full). Cleaned results are immutable. */
const cache = new Map<string, Cleaned<CleanPhone>>();
const CACHE_MAX = 20_000;

/**
 * A phone number in E.164 with its line type, reading national numbers in `defaultCountry`
 * (`07911 123456`, `+44 (0)7911 123456`, `0044 7911 123456`, full-width digits all give
 * `+447911123456`). Digits that only make sense with a `+` in front (an international number whose
 * `+` a spreadsheet dropped) are read so, with a warning; an extension is dropped with a warning.
 * Results are cached: a customer's phone repeats in transaction files, and parsing is costly.
 */
export const cleanPhone = (
  input: string,
  defaultCountry: string | undefined,
  field = 'phone',
): Cleaned<CleanPhone> => {
  const key = `${field}\u0000${defaultCountry ?? ''}\u0000${input}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = cleanPhoneUncached(input, defaultCountry, field);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, result);
  return result;
};

/** `cleanPhone` without the cache: parsing runs dozens of metadata patterns, and a customer's phone repeats in transaction files. */
const cleanPhoneUncached = (
  input: string,
  defaultCountry: string | undefined,
  field: string,
): Cleaned<CleanPhone> => {
  const text = nfkc(input).trim().replace(TEL_PREFIX, '');
  if (SCIENTIFIC.test(text)) {
    return bad(`${field}: ${text} is a number a spreadsheet rounded; its digits are lost`);
  }
  const country = defaultCountry?.toUpperCase();
  let parsed = parse(text, country);
  let lineType = typeOf(parsed);
  const warnings: string[] = [];
  if (!parsed || lineType === undefined) {
    const digits = text.replace(NON_DIGITS, '');
    const international =
      DIGITS_ONLY.test(digits) && !text.startsWith('0') ? parse(`+${digits}`, undefined) : undefined;
    lineType = typeOf(international);
    if (!international || lineType === undefined) {
      return bad(
        country
          ? `${field}: is not a valid phone number (read with default country ${country})`
          : `${field}: is not a valid international phone number (no default country)`,
      );
    }
    parsed = international;
    warnings.push(`${field}: read as the international number ${parsed.number}`);
  }
  if (parsed.ext) warnings.push(`${field}: extension ${parsed.ext} dropped`);
  const type = TYPES[lineType] ?? 'unknown';
  return ok({ e164: parsed.number, type }, warnings.length > 0 ? warnings : undefined);
};
