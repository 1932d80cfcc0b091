/** Characters that are not plain printable ASCII: only such strings need NFKC or Unicode space handling. */
const NON_ASCII = /[^\x20-\x7e]/;
/** Runs of white space, including no-break, thin, ideographic and zero-width spaces. */
const SPACES = /[\s\u00a0\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
const ASCII_SPACES = / {2,}/;

/**
 * Unicode NFKC: full-width digits and letters (`０７９１１`, `ＡＢＣ`, `＠`) become ASCII, compatibility
 * characters their plain form. ASCII strings are returned as they are (NFKC does not change them).
 */
export const nfkc = (value: string): string => (NON_ASCII.test(value) ? value.normalize('NFKC') : value);

/** NFKC, then white space trimmed and every inner run collapsed to one space. */
export const cleanText = (value: string): string => {
  if (!NON_ASCII.test(value)) {
    const trimmed = value.trim();
    return ASCII_SPACES.test(trimmed) ? trimmed.replace(/ {2,}/g, ' ') : trimmed;
  }
  return value.normalize('NFKC').replace(SPACES, ' ').trim();
};

const BLANK_TOKENS = new Set([
  '',
  '-',
  '--',
  '—',
  'n/a',
  'na',
  '#n/a',
  'null',
  'none',
  'nil',
  '(blank)',
  '无',
  '空',
]);

/**
 * True for a cell that says nothing: empty, or a placeholder spreadsheets and exports write for
 * "no value" (`N/A`, `#N/A`, `NULL`, `-`, `无`). Expects cleaned text.
 */
export const isBlank = (cleaned: string): boolean =>
  cleaned.length <= 6 && BLANK_TOKENS.has(cleaned.toLowerCase());

/** A name compared case-, space- and punctuation-insensitively after NFKC (`E-Mail` = `email`). */
export const squashName = (name: string): string =>
  nfkc(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
