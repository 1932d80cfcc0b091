import { squashName } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';

/** Names that are no region's display name but common in customer files. */
const EXTRA_NAMES: Record<string, string> = {
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  usa: 'US',
  'u.s.a.': 'US',
  'u.s.': 'US',
  america: 'US',
  'united states of america': 'US',
  holland: 'NL',
  'the netherlands': 'NL',
  prc: 'CN',
  "people's republic of china": 'CN',
  'mainland china': 'CN',
  中华人民共和国: 'CN',
  中国大陆: 'CN',
  大陆: 'CN',
  内地: 'CN',
  英國: 'GB',
  美國: 'US',
  deutschland: 'DE',
  allemagne: 'DE',
  españa: 'ES',
  espana: 'ES',
  italia: 'IT',
  schweiz: 'CH',
  suisse: 'CH',
  österreich: 'AT',
  nederland: 'NL',
  belgique: 'BE',
  belgië: 'BE',
  sverige: 'SE',
  norge: 'NO',
  danmark: 'DK',
  suomi: 'FI',
  polska: 'PL',
  éire: 'IE',
  korea: 'KR',
  'south korea': 'KR',
  russia: 'RU',
  uae: 'AE',
  'hong kong': 'HK',
  香港: 'HK',
  macau: 'MO',
  macao: 'MO',
  澳门: 'MO',
  台湾: 'TW',
};

/** Codes the runtime names that are no current ISO 3166-1 country (deprecated, reserved, groups). */
const NOT_COUNTRIES = new Set([
  'UK',
  'FX',
  'SU',
  'YU',
  'ZR',
  'TP',
  'DD',
  'BU',
  'CS',
  'DY',
  'HV',
  'NH',
  'RH',
  'VD',
  'YD',
  'AN',
  'EU',
  'EZ',
  'UN',
  'QO',
  'XA',
  'XB',
  'XK',
  'ZZ',
]);

/** ISO 3166-1 alpha-3 codes of the countries most files come from. */
const ALPHA3: Record<string, string> = {
  GBR: 'GB',
  USA: 'US',
  CHN: 'CN',
  DEU: 'DE',
  FRA: 'FR',
  ESP: 'ES',
  ITA: 'IT',
  NLD: 'NL',
  BEL: 'BE',
  CHE: 'CH',
  AUT: 'AT',
  IRL: 'IE',
  SWE: 'SE',
  NOR: 'NO',
  DNK: 'DK',
  FIN: 'FI',
  POL: 'PL',
  PRT: 'PT',
  CAN: 'CA',
  AUS: 'AU',
  NZL: 'NZ',
  JPN: 'JP',
  KOR: 'KR',
  HKG: 'HK',
  TWN: 'TW',
  SGP: 'SG',
  IND: 'IN',
  BRA: 'BR',
  MEX: 'MX',
  ZAF: 'ZA',
  ARE: 'AE',
  RUS: 'RU',
  TUR: 'TR',
};

const BY_NAME = (() => {
  const map = new Map<string, string>();
  const en = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const zh = new Intl.DisplayNames(['zh'], { type: 'region', fallback: 'none' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      const english = en.of(code);
      if (!english || english === code || NOT_COUNTRIES.has(code)) continue;
      map.set(squashName(code), code);
      if (!map.has(squashName(english))) map.set(squashName(english), code);
      const chinese = zh.of(code);
      if (chinese && chinese !== code && !map.has(squashName(chinese))) map.set(squashName(chinese), code);
    }
  }
  for (const [name, code] of Object.entries(EXTRA_NAMES)) map.set(squashName(name), code);
  for (const [alpha3, code] of Object.entries(ALPHA3)) map.set(squashName(alpha3), code);
  return map;
})();

/**
 * ISO 3166-1 alpha-2 code of a country written as a code (`gb`, `GBR`), an English or Chinese name
 * (`United Kingdom`, `英国`, `中国`) or a common alias (`UK`, `USA`, `England`, `Holland`).
 */
export const countryCodeOf = (value: string): string | undefined => BY_NAME.get(squashName(value));

/** A country cell as an ISO 3166-1 alpha-2 code, or why not. */
export const cleanCountry = (value: string, field = 'country'): Cleaned<string> => {
  const code = countryCodeOf(value);
  return code ? ok(code) : bad(`${field}: ${value} is not a country name or ISO code`);
};
