import { nfkc } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';

export type DecimalSeparator = '.' | ',';

export interface NumberOptions {
  /** Declared (manifest `decimalSeparator`): values contradicting it are refused. */
  readonly decimalSeparator?: DecimalSeparator;
  /** The file's likely separator (e.g. `,` in a semicolon-delimited file): breaks ties only. */
  readonly hint?: DecimalSeparator;
}

export interface CleanNumber {
  readonly value: number;
  /** ISO 4217 code of a currency sign or code written with the number (`$`, `€`, `RMB`, `USD`). */
  readonly currency?: string;
  /** The sign or code as written, when there was one. */
  readonly currencySign?: string;
}

/** Currency signs and words to ISO 4217; `$` and `¥` are ambiguous and only reported, never used. */
export const CURRENCY_SIGNS: Readonly<Record<string, string | undefined>> = {
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  '₩': 'KRW',
  '₽': 'RUB',
  '₺': 'TRY',
  元: 'CNY',
  rmb: 'CNY',
  us$: 'USD',
  hk$: 'HKD',
  nt$: 'TWD',
  a$: 'AUD',
  au$: 'AUD',
  c$: 'CAD',
  ca$: 'CAD',
  s$: 'SGD',
  r$: 'BRL',
  $: undefined,
  '¥': undefined,
  kr: undefined,
};

const PREFIX = /^(?:[a-z]{3}|rmb|[a-z]{1,2}\$|[$€£¥₹₩₽₺])\s*/i;
const SUFFIX = /\s*(?:[a-z]{3}|rmb|kr|元|[$€£¥₹₩₽₺])$/i;
const ISO_CODE = /^[a-z]{3}$/i;
const SHAPE = /^\d[\d.,' \u00a0\u2009\u202f]*$|^[.,]\d+$/;
const GROUP_SPACES = /[' \u00a0\u2009\u202f]/g;
const SCIENTIFIC = /^\d+(?:\.\d+)?e[+-]?\d+$/i;
const THOUSANDS_GROUPS = /^\d{1,3}(?:[.,]\d{3})+$/;

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** The ISO code of a sign (undefined when ambiguous), or null when it is no currency at all. */
const currencyOf = (sign: string): string | undefined | null => {
  const key = sign.toLowerCase();
  if (key in CURRENCY_SIGNS) return CURRENCY_SIGNS[key];
  const code = key.toUpperCase();
  return ISO_CODE.test(key) && ISO_CURRENCIES.has(code) ? code : null;
};

/**
 * A number written with either decimal separator and any thousands separator: `1.234,56`,
 * `1,234.56`, `1 234,56`, `1'234.56`, `¥1,234`, `$12.00`, `12,50 €`, `-5`, `(5.00)`, `5-`.
 * When both separators occur the last one is the decimal one; a single separator followed by other
 * than three digits is decimal; `1,234` / `1.234` is ambiguous and read with the declared separator,
 * else the file's hint, else `.` as decimal, with a warning. A currency sign is reported, not kept.
 */
export const cleanNumber = (
  input: string,
  field: string,
  options: NumberOptions = {},
): Cleaned<CleanNumber> => {
  let text = nfkc(input).trim();
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (text.startsWith('-') || text.startsWith('−')) {
    negative = !negative;
    text = text.slice(1).trim();
  } else if (text.startsWith('+')) text = text.slice(1).trim();
  let sign: string | undefined;
  const prefix = PREFIX.exec(text);
  if (prefix) {
    sign = prefix[0].trim();
    text = text.slice(prefix[0].length);
  } else {
    const suffix = SUFFIX.exec(text);
    if (suffix) {
      sign = suffix[0].trim();
      text = text.slice(0, -suffix[0].length);
    }
  }
  if (text.startsWith('-') && !negative) {
    negative = true;
    text = text.slice(1);
  } else if (text.endsWith('-') && !negative) {
    negative = true;
    text = text.slice(0, -1);
  }
  text = text.trim();
  const currency = sign ? currencyOf(sign) : undefined;
  if (currency === null) return bad(`${field}: is not a number`);
  const done = (n: number, warnings?: string[]) => {
    if (!Number.isFinite(n)) return bad<CleanNumber>(`${field}: is not a number`);
    const value = negative && n !== 0 ? -n : n;
    return ok<CleanNumber>(
      sign ? { value, currency, currencySign: sign } : currency ? { value, currency } : { value },
      warnings,
    );
  };
  if (SCIENTIFIC.test(text)) return done(Number(text));
  if (!SHAPE.test(text)) return bad(`${field}: is not a number`);
  const digits = text.replace(GROUP_SPACES, '');
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  const declared = options.decimalSeparator;
  if (lastDot < 0 && lastComma < 0) return done(Number(digits));
  let decimal: DecimalSeparator | undefined;
  let warning: string | undefined;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? '.' : ',';
  } else {
    const sep: DecimalSeparator = lastDot >= 0 ? '.' : ',';
    const first = digits.indexOf(sep);
    const repeated = first !== digits.lastIndexOf(sep);
    const after = digits.length - first - 1;
    const before = digits.slice(0, first);
    if (repeated) decimal = sep === '.' ? ',' : '.';
    else if (declared) decimal = declared;
    else if (after !== 3 || before === '' || before === '0' || before.length > 3) decimal = sep;
    else {
      decimal = options.hint ?? '.';
      warning = `${field}: ${input.trim()} is ambiguous, read with ${decimal === '.' ? 'a decimal point' : 'a decimal comma'} (declare decimalSeparator)`;
    }
  }
  if (declared && declared !== decimal) {
    return bad(`${field}: ${input.trim()} does not use the declared decimal separator ${declared}`);
  }
  const thousands = decimal === '.' ? ',' : '.';
  const cut = decimal === '.' ? lastDot : lastComma;
  const integerPart = cut >= 0 ? digits.slice(0, cut) : digits;
  const fraction = cut >= 0 ? digits.slice(cut + 1) : '';
  if (integerPart.includes(decimal) || fraction.includes(thousands) || fraction.includes(decimal)) {
    return bad(`${field}: is not a number`);
  }
  if (integerPart.includes(thousands) && !THOUSANDS_GROUPS.test(integerPart)) {
    return bad(`${field}: ${input.trim()} has misplaced thousands separators`);
  }
  const plain = `${integerPart.split(thousands).join('')}.${fraction}`;
  return done(Number(plain), warning ? [warning] : undefined);
};
