import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../shared/zoned-time';
import { COUNTRY_TIME_ZONES, countryTimeZone } from './country-time-zone';
import { phoneCountry, recipientTimeZone } from './recipient-time-zone';

const business = 'Europe/London';

describe('recipientTimeZone', () => {
  it('takes the profile’s own zone first', () => {
    expect(
      recipientTimeZone({ timeZone: 'Asia/Tokyo', phone: '+33612345678', country: 'US' }, business),
    ).toEqual({
      timeZone: 'Asia/Tokyo',
      source: 'profile',
    });
  });

  it('else the country of the phone number, before the profile’s country', () => {
    expect(recipientTimeZone({ phone: '+33612345678', country: 'US' }, business)).toEqual({
      timeZone: 'Europe/Paris',
      source: 'phone',
    });
    // +1 is shared: a Toronto number is Canadian, a Kingston one Jamaican, a New York one American.
    expect(recipientTimeZone({ phone: '+14165550123' }, business).timeZone).toBe('America/Toronto');
    expect(recipientTimeZone({ phone: '+18765550123' }, business).timeZone).toBe('America/Jamaica');
    expect(recipientTimeZone({ phone: '+12125550123' }, business).timeZone).toBe('America/New_York');
  });

  it('else the profile’s country, in any case', () => {
    expect(recipientTimeZone({ country: 'de' }, business)).toEqual({
      timeZone: 'Europe/Berlin',
      source: 'country',
    });
    // A number that names no country (a +800 freephone) says nothing: the country decides.
    expect(recipientTimeZone({ phone: '+80012345678', country: 'JP' }, business)).toEqual({
      timeZone: 'Asia/Tokyo',
      source: 'country',
    });
  });

  it('else the business zone; a damaged stored zone or country is passed over, never thrown on', () => {
    expect(recipientTimeZone({}, business)).toEqual({ timeZone: business, source: 'business' });
    expect(recipientTimeZone({ timeZone: 'Mars/Olympus', country: 'XX', phone: 42 }, business)).toEqual({
      timeZone: business,
      source: 'business',
    });
    expect(recipientTimeZone({ timeZone: 'Mars/Olympus', country: 'NZ' }, business).timeZone).toBe(
      'Pacific/Auckland',
    );
  });
});

describe('phoneCountry', () => {
  it('names the country of a calling code used by one country without parsing, and tells shared ones apart', () => {
    expect(phoneCountry('+8613812345678')).toBe('CN');
    expect(phoneCountry('+4915112345678')).toBe('DE');
    expect(phoneCountry('+447400123456')).toBe('GB');
    expect(phoneCountry('+447781123456')).toBe('GG');
    expect(phoneCountry('+79161234567')).toBe('RU');
    expect(phoneCountry('+77011234567')).toBe('KZ');
    expect(phoneCountry('+80012345678')).toBeUndefined();
    expect(phoneCountry('not a number')).toBeUndefined();
  });
});

describe('country time zones', () => {
  it('knows every country the runtime can map to a zone it knows', () => {
    const entries = Object.entries(COUNTRY_TIME_ZONES);
    expect(entries.length).toBeGreaterThan(240);
    expect(entries.filter(([, zone]) => !isTimeZone(zone))).toEqual([]);
    expect(entries.filter(([country]) => !/^[A-Z]{2}$/.test(country))).toEqual([]);
  });

  it('maps a country with several zones to its capital’s', () => {
    const capitals: Record<string, string> = {
      US: 'America/New_York',
      CA: 'America/Toronto',
      AU: 'Australia/Sydney',
      BR: 'America/Sao_Paulo',
      RU: 'Europe/Moscow',
      MX: 'America/Mexico_City',
      ID: 'Asia/Jakarta',
      CN: 'Asia/Shanghai',
      KZ: 'Asia/Almaty',
    };
    for (const [country, zone] of Object.entries(capitals)) expect(countryTimeZone(country)).toBe(zone);
    expect(countryTimeZone('toString')).toBeUndefined();
  });
});
