import { type DateOptions, dateOrderOfCountry } from './clean-date';
import type { NumberOptions } from './clean-number';
import { cleanText, isBlank, squashName } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';
import { isFormulaCell } from './formula-cell';
import type { IngestContext } from './ingest-context';
import { attributeNameFor } from './plan-columns';

/** Collects reasons and warnings while a record is cleaned field by field. */
export class RecordIssues {
  readonly reasons: string[] = [];
  readonly warnings: string[] = [];

  take<T>(result: Cleaned<T>): T | undefined {
    if (result.warnings.length > 0) this.warnings.push(...result.warnings);
    if ('reason' in result) {
      this.reasons.push(result.reason);
      return undefined;
    }
    return result.value;
  }
}

/** Cleaned text of a cell, undefined when it says nothing (empty, `N/A`, `-`...). */
export const textOf = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const text = cleanText(raw);
  return isBlank(text) ? undefined : text;
};

/** Text kept as text; a formula is flagged, never evaluated. Refused above `max` characters. */
export const cleanPlainText = (text: string, field: string, max: number): Cleaned<string> => {
  if (text.length > max) return bad(`${field}: is longer than ${max} characters`);
  return isFormulaCell(text)
    ? ok(text, [`${field}: looks like a spreadsheet formula, kept as text`])
    : ok(text);
};

/**
 * An `attributes.<name>` column: its cleaned text added under the attribute's name (the map is made on
 * first use and returned). Other keys, and values that do not clean, leave `attributes` as it was.
 */
export const withAttribute = (
  issues: RecordIssues,
  attributes: Record<string, string> | undefined,
  key: string,
  text: string,
): Record<string, string> | undefined => {
  if (!key.startsWith('attributes.')) return attributes;
  const name = attributeNameFor(key.slice('attributes.'.length));
  const value = issues.take(cleanPlainText(text, key, 1000));
  if (!name || value === undefined) return attributes;
  return { ...attributes, [name]: value };
};

export const countryOf = (context: IngestContext): string | undefined =>
  context.manifest.defaultCountry ??
  (context.defaultCountry ? context.defaultCountry.toUpperCase() : undefined);

/** Date options of a file: the declared format, else the detected order, else the country's habit. */
export const dateOptionsOf = (context: IngestContext): DateOptions => {
  const { dateFormat } = context.manifest;
  if (dateFormat) return { format: dateFormat };
  const order = context.detected?.dateOrder;
  return order ? { order } : { fallbackOrder: dateOrderOfCountry(countryOf(context)) };
};

export const numberOptionsOf = (context: IngestContext): NumberOptions => {
  const declared = context.manifest.decimalSeparator;
  if (declared) return { decimalSeparator: declared };
  const hint = context.detected?.decimalSeparatorHint;
  return hint ? { hint } : {};
};

const squashedMap = <T>(entries: Record<string, readonly string[]>): Map<string, T> => {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(entries))
    for (const w of words) map.set(squashName(w), value as T);
  return map;
};

export type ConsentWord = 'granted' | 'denied' | 'unsubscribed';
const CONSENT = squashedMap<ConsentWord>({
  granted: [
    'granted',
    'yes',
    'y',
    'true',
    '1',
    'opt-in',
    'opted in',
    'subscribed',
    'agree',
    'agreed',
    'consent',
    'ok',
    'x',
    '✓',
    '是',
    '同意',
    '已同意',
    '订阅',
    '已订阅',
  ],
  denied: [
    'denied',
    'no',
    'n',
    'false',
    '0',
    'opt-out',
    'opted out',
    'declined',
    'refused',
    '否',
    '不同意',
    '拒绝',
    '未订阅',
  ],
  unsubscribed: ['unsubscribed', 'unsubscribe', '退订', '已退订'],
});

/** A consent cell (`yes`, `Y`, `opt-in`, `是`, `unsubscribed`...) as a consent status. */
export const cleanConsent = (text: string, field: string): Cleaned<ConsentWord> => {
  const status = CONSENT.get(squashName(text));
  return status ? ok(status) : bad(`${field}: must be yes or no (granted, denied or unsubscribed)`);
};

export type Gender = 'female' | 'male' | 'other' | 'unknown';
const GENDERS = squashedMap<Gender>({
  female: [
    'female',
    'f',
    'woman',
    'w',
    'women',
    'girl',
    'lady',
    'mrs',
    'ms',
    'miss',
    'frau',
    'femme',
    '女',
    '女性',
    '女士',
  ],
  male: ['male', 'm', 'man', 'men', 'boy', 'mr', 'herr', 'homme', '男', '男性', '先生'],
  other: ['other', 'x', 'nonbinary', 'non-binary', 'diverse', 'd', 'divers', '其他'],
  unknown: ['unknown', 'u', 'prefer not to say', 'not specified', 'unspecified', '未知', '保密'],
});

export const cleanGender = (text: string, field = 'gender'): Cleaned<Gender> => {
  const gender = GENDERS.get(squashName(text));
  return gender ? ok(gender) : bad(`${field}: must be female, male, other or unknown`);
};
