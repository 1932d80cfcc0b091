import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { nfkc } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';

export const PHONE_TYPES = ['mobile', 'landline', 'voip', 'unknown'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

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

const parse = (text: string, country: string | undefined) =>
  parsePhoneNumberFromString(text, {
    defaultCountry: country as CountryCode | undefined,
    extract: false,
  });

/**
 * A phone number in E.164 with its line type, reading national numbers in `defaultCountry`
 * (`07911 123456`, `+44 (0)7911 123456`, `0044 7911 123456`, full-width digits all give
 * `+447911123456`). Digits that only make sense with a `+` in front (an international number whose
 * `+` a spreadsheet dropped) are read so, with a warning; an extension is dropped with a warning.
 */
export const cleanPhone = (
  input: string,
  defaultCountry: string | undefined,
  field = 'phone',
): Cleaned<CleanPhone> => {
  const text = nfkc(input).trim().replace(TEL_PREFIX, '');
  if (SCIENTIFIC.test(text)) {
    return bad(`${field}: ${text} is a number a spreadsheet rounded; its digits are lost`);
  }
  const country = defaultCountry?.toUpperCase();
  let parsed = parse(text, country);
  const warnings: string[] = [];
  if (!parsed?.isValid()) {
    const digits = text.replace(NON_DIGITS, '');
    const international =
      DIGITS_ONLY.test(digits) && !text.startsWith('0') ? parse(`+${digits}`, undefined) : undefined;
    if (!international?.isValid()) {
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
  const type = TYPES[parsed.getType() ?? ''] ?? 'unknown';
  return ok({ e164: parsed.number, type }, warnings.length > 0 ? warnings : undefined);
};
