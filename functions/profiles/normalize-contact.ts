import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { PhoneType } from './profile';

const emailSyntax = z.email();

/** Trims and lowercases an email address; undefined when it is not a syntactically valid address. */
export const normalizeEmail = (value: string): string | undefined => {
  const email = value.trim().toLowerCase();
  return emailSyntax.safeParse(email).success ? email : undefined;
};

const parsePhone = (value: string, defaultCountry: string) => {
  const parsed = parsePhoneNumberFromString(value.trim(), {
    defaultCountry: defaultCountry.toUpperCase() as CountryCode,
    extract: false,
  });
  return parsed?.isValid() ? parsed : undefined;
};

/**
 * A phone number in E.164 (`+447911123456`), reading numbers without a country code in
 * `defaultCountry`; undefined when the number is not a valid number.
 */
export const normalizePhone = (value: string, defaultCountry: string): string | undefined =>
  parsePhone(value, defaultCountry)?.number;

/** The line type of a valid E.164 number (full metadata: mobile, fixed line, VoIP ...). */
export const phoneTypeOf = (e164: string): PhoneType => {
  const type = parsePhoneNumberFromString(e164)?.getType();
  if (type === 'MOBILE') return 'mobile';
  if (type === 'FIXED_LINE') return 'landline';
  if (type === 'FIXED_LINE_OR_MOBILE') return 'unknown';
  if (type === 'VOIP') return 'voip';
  return type ? 'other' : 'unknown';
};
