import { parsePhoneNumberFromString } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';
import { isTimeZone, zoneOffsetMinutes } from '../shared/zoned-time';
import { countryTimeZone } from './country-time-zone';

// The zone a recipient's clock is in, for quiet hours, localTime and the frequency cap's calendar
// day: the profile's own `timeZone` when it has a valid one, else the country of its phone number
// (what the number says about where its owner lives is better than a country typed into a form
// years ago, and nearly every SMS recipient has one), else the profile's `country`, else the
// business zone (a setting). A country maps to one zone (country-time-zone.ts: the capital's for
// countries with several).
//
// Reading the phone number costs: a calling code used by one country alone (+33, +49, +86 ...)
// names it without parsing the number; only codes shared by several countries go through
// libphonenumber-js (5-15 µs a number), which tells them apart by the digits after the code, and
// not even those when every country of the code keeps the same time (+44: Britain, Jersey,
// Guernsey and Man), nor twice for one North American area code (each belongs to one country).

export type TimeZoneSource = 'profile' | 'phone' | 'country' | 'business';

export interface RecipientTimeZone {
  readonly timeZone: string;
  readonly source: TimeZoneSource;
}

/** What the zone is read from: the profile's fields as stored. */
export interface TimeZoneFields {
  readonly timeZone?: unknown;
  readonly phone?: unknown;
  readonly country?: unknown;
}

/** Calling code to its countries, the main one first (`44`: GB, GG, IM, JE). */
const countriesByCallingCode = new Map<string, readonly string[]>(
  Object.entries(metadata.country_calling_codes),
);

/** The calling code an E.164 number starts with (they are prefix-free), or undefined. */
const callingCodeOf = (phone: string): string | undefined => {
  for (let length = 1; length <= 3; length++) {
    const code = phone.slice(1, 1 + length);
    if (countriesByCallingCode.has(code)) return code;
  }
  return undefined;
};

/** The country of an E.164 phone number (`+447400123456`), or undefined when it names none. */
export const phoneCountry = (phone: string): string | undefined => {
  if (!phone.startsWith('+')) return parsePhoneNumberFromString(phone)?.country;
  const code = callingCodeOf(phone);
  if (code === undefined) return undefined;
  const countries = countriesByCallingCode.get(code)!;
  return countries.length === 1 ? countries[0] : parsePhoneNumberFromString(phone)?.country;
};

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Per shared calling code: the one zone all its countries' clocks agree with, or null. */
const sharedCodeZones = new Map<string, string | null>();
const agreedZone = (code: string): string | null => {
  let zone = sharedCodeZones.get(code);
  if (zone !== undefined) return zone;
  const zones = countriesByCallingCode.get(code)!.map((c) => countryTimeZone(c));
  const main = zones[0];
  const now = Date.now();
  // The same offset every week of the next two years: the same clock, whatever the zone's name.
  const agree = (other: string | undefined) =>
    other !== undefined &&
    Array.from({ length: 105 }, (_, week) => now + week * WEEK_MS).every(
      (t) => zoneOffsetMinutes(main!, t) === zoneOffsetMinutes(other, t),
    );
  zone = main !== undefined && zones.every(agree) ? main : null;
  sharedCodeZones.set(code, zone);
  return zone;
};
const areaCodeZones = new Map<string, string>();

/** The zone a phone number's country keeps, or undefined when the number names no country. */
export const phoneTimeZone = (phone: string): string | undefined => {
  const code = phone.startsWith('+') ? callingCodeOf(phone) : undefined;
  if (code !== undefined && countriesByCallingCode.get(code)!.length > 1) {
    const agreed = agreedZone(code);
    if (agreed !== null) return agreed;
    if (code === '1') {
      const area = phone.slice(0, 5);
      const cached = areaCodeZones.get(area);
      if (cached !== undefined) return cached;
      const country = parsePhoneNumberFromString(phone)?.country;
      const zone = country === undefined ? undefined : countryTimeZone(country);
      if (zone !== undefined && areaCodeZones.size < 1000) areaCodeZones.set(area, zone);
      return zone;
    }
  }
  const country = phoneCountry(phone);
  return country === undefined ? undefined : countryTimeZone(country);
};

/** The recipient's time zone and where it came from. */
export const recipientTimeZone = (profile: TimeZoneFields, businessTimeZone: string): RecipientTimeZone => {
  if (typeof profile.timeZone === 'string' && isTimeZone(profile.timeZone))
    return { timeZone: profile.timeZone, source: 'profile' };
  if (typeof profile.phone === 'string') {
    const zone = phoneTimeZone(profile.phone);
    if (zone !== undefined) return { timeZone: zone, source: 'phone' };
  }
  if (typeof profile.country === 'string') {
    const zone = countryTimeZone(profile.country);
    if (zone !== undefined) return { timeZone: zone, source: 'country' };
  }
  return { timeZone: businessTimeZone, source: 'business' };
};
