import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

const emailSyntax = z.email();

/** Trims and lowercases an email address; undefined when it is not a syntactically valid address. */
export const normalizeEmail = (value: string): string | undefined => {
  const email = value.trim().toLowerCase();
  return emailSyntax.safeParse(email).success ? email : undefined;
};

/**
 * A phone number in E.164 (`+447911123456`), reading numbers without a country code in
 * `defaultCountry`; undefined when the number is not a valid number.
 */
export const normalizePhone = (value: string, defaultCountry: string): string | undefined => {
  const parsed = parsePhoneNumberFromString(value.trim(), {
    defaultCountry: defaultCountry.toUpperCase() as CountryCode,
    extract: false,
  });
  return parsed?.isValid() ? parsed.number : undefined;
};
