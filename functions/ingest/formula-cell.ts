/** Starts like a spreadsheet formula: `=`, `+`, `-` or `@` (Excel, LibreOffice and Sheets evaluate these). */
const FORMULA_START = /^[=+\-@]/;
/** A number or phone number that merely starts with a sign: not a formula. */
const SIGNED_NUMBER = /^[+-][\d\s().,/-]*\d[\d\s().,/-]*$/;
/** The only signed text a report writes as it is: a plain number (`-12.50`), which evaluates to itself. */
const PLAIN_SIGNED_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
/** Control characters spreadsheets skip before reading a formula. */
const LEADING_CONTROL = /^[\t\r\n]/;

/**
 * True when a spreadsheet opening the text would read it as a formula (`=HYPERLINK("http://x","y")`,
 * `+cmd|' /C calc'!A0`, `@SUM(A1:A9)`, `-2+3`), and false for signed numbers such as `-12.50` or
 * `+44 7911 123456`. The text is only ever kept as text: nothing here evaluates it.
 */
export const isFormulaCell = (value: string): boolean => {
  const text = value.trimStart();
  if (!FORMULA_START.test(text)) return false;
  if (text.length === 1) return false;
  return text[0] === '=' || !SIGNED_NUMBER.test(text);
};

/**
 * A cell as it may be written back into a CSV report: anything a spreadsheet could evaluate is
 * prefixed with a single quote, so it is shown as text and never re-exported as a formula. Stricter
 * than `isFormulaCell` (which decides warnings): arithmetic such as `+1-2` or `-(1)`, and phone
 * numbers written with a sign, are prefixed too; only a plain signed number is left as it is.
 */
export const safeCsvCell = (value: string): string => {
  if (LEADING_CONTROL.test(value)) return `'${value}`;
  const text = value.trim();
  if (text.length <= 1) return value;
  return FORMULA_START.test(text) && !PLAIN_SIGNED_NUMBER.test(text) ? `'${value}` : value;
};

const NEEDS_QUOTES = /[",;\t|\r\n]/;

/** `safeCsvCell`, then quoted (RFC 4180) when it holds a quote, delimiter or line break. */
export const toCsvField = (value: string | number): string => {
  const text = safeCsvCell(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
