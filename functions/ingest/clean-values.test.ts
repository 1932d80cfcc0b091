import { describe, expect, it } from 'vitest';
import { cleanCountry } from './clean-country';
import { cleanDate, cleanDateTime, DateOrderDetector } from './clean-date';
import { cleanEmail, suggestEmailDomain } from './clean-email';
import { cleanNumber } from './clean-number';
import { cleanPhone } from './clean-phone';
import { cleanText, isBlank, nfkc } from './clean-text';
import { isFormulaCell, safeCsvCell, toCsvField } from './formula-cell';
import { splitFullName } from './split-full-name';

describe('text', () => {
  it('NFKC turns full-width digits and letters into ASCII', () => {
    expect(nfkc('０７９１１ ＡＢＣ＠ｘ．ｃｏｍ')).toBe('07911 ABC@x.com');
  });
  it('trims and collapses every kind of white space', () => {
    expect(cleanText('  Mary \t  Jones\u00a0\u3000 ')).toBe('Mary Jones');
    expect(cleanText('a  b')).toBe('a b');
  });
  it('knows placeholders for no value', () => {
    expect(['', 'N/A', '#N/A', 'null', '-', '无'].map(isBlank)).toEqual([true, true, true, true, true, true]);
    expect(isBlank('Nancy')).toBe(false);
  });
});

describe('cleanEmail', () => {
  it('trims and lowercases', () => {
    expect(cleanEmail('  Mary.Jones@Example.COM ')).toEqual({
      value: 'mary.jones@example.com',
      warnings: [],
    });
  });
  it('refuses invalid syntax, naming the field', () => {
    expect(cleanEmail('not-an-email')).toEqual({
      reason: 'email: is not a valid email address',
      warnings: [],
    });
    expect(cleanEmail('a@b', 'contact')).toEqual({
      reason: 'contact: is not a valid email address',
      warnings: [],
    });
  });
  it.each([
    ['gmial.com', 'gmail.com'],
    ['gmai.com', 'gmail.com'],
    ['hotmial.com', 'hotmail.com'],
    ['yahooo.com', 'yahoo.com'],
    ['outlok.com', 'outlook.com'],
    ['qq.con', 'qq.com'],
    ['163.cmo', '163.com'],
    ['gmail.co', 'gmail.com'],
  ])('warns about %s (typo of %s) and keeps it as written', (domain, meant) => {
    expect(cleanEmail(`x@${domain}`)).toEqual({
      value: `x@${domain}`,
      warnings: [`email: domain ${domain} looks like a typo of ${meant} (kept as written)`],
    });
  });
  it('leaves real domains alone, also those close to big ones', () => {
    for (const d of ['gmail.com', 'mail.com', 'gmx.com', 'example.com', '126.com', 'me.com', 'vip.qq.com']) {
      expect(suggestEmailDomain(d)).toBeUndefined();
    }
  });
  it('unwraps mailto: and named addresses, keeps the first of several (warned)', () => {
    expect(cleanEmail('mailto:A@Example.com')).toEqual({ value: 'a@example.com', warnings: [] });
    expect(cleanEmail('Ann <ann@example.com>')).toEqual({ value: 'ann@example.com', warnings: [] });
    expect(cleanEmail('a@example.com; b@example.com')).toEqual({
      value: 'a@example.com',
      warnings: ['email: holds 2 addresses, kept the first'],
    });
  });
});

describe('cleanPhone', () => {
  it.each([
    '07911 123456',
    '+44 7911 123456',
    '0044 (0)7911-123-456',
    '+44 (0)7911 123456',
    '０７９１１ １２３４５６',
  ])('reads %s as +447911123456 (mobile)', (input) => {
    expect(cleanPhone(input, 'GB')).toEqual({
      value: { e164: '+447911123456', type: 'mobile' },
      warnings: [],
    });
  });
  it('tells landlines and unknown line types apart', () => {
    expect(cleanPhone('020 7946 0958', 'GB')).toEqual({
      value: { e164: '+442079460958', type: 'landline' },
      warnings: [],
    });
    expect(cleanPhone('(212) 555-0123', 'US')).toEqual({
      value: { e164: '+12125550123', type: 'unknown' },
      warnings: [],
    });
    expect(cleanPhone('13812345678', 'CN')).toEqual({
      value: { e164: '+8613812345678', type: 'mobile' },
      warnings: [],
    });
  });
  it('reads digits that only make sense with a + as international, with a warning', () => {
    expect(cleanPhone('8613812345678', 'GB')).toEqual({
      value: { e164: '+8613812345678', type: 'mobile' },
      warnings: ['phone: read as the international number +8613812345678'],
    });
  });
  it('refuses invalid and spreadsheet-rounded numbers', () => {
    expect(cleanPhone('12345', 'GB')).toEqual({
      reason: 'phone: is not a valid phone number (read with default country GB)',
      warnings: [],
    });
    expect(cleanPhone('4.47911E+11', 'GB')).toEqual({
      reason: 'phone: 4.47911E+11 is a number a spreadsheet rounded; its digits are lost',
      warnings: [],
    });
  });
  it('drops an extension with a warning', () => {
    expect(cleanPhone('020 7946 0958 ext. 12', 'GB')).toEqual({
      value: { e164: '+442079460958', type: 'landline' },
      warnings: ['phone: extension 12 dropped'],
    });
  });
});

describe('cleanNumber', () => {
  const value = (input: string, options = {}) => {
    const r = cleanNumber(input, 'amount', options);
    return 'value' in r ? r.value.value : r.reason;
  };
  it.each([
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['1 234,56', 1234.56],
    ['1\u00a0234,56', 1234.56],
    ["1'234.56", 1234.56],
    ['¥1,234', 1234],
    ['$12.00', 12],
    ['12,50 €', 12.5],
    ['-5', -5],
    ['(5.00)', -5],
    ['5-', -5],
    ['0,5', 0.5],
    ['1,234,567', 1234567],
    ['１２３．５', 123.5],
    ['USD 10', 10],
    ['1.5E+3', 1500],
  ])('reads %s as %d', (input, expected) => {
    expect(value(input)).toBe(expected);
  });
  it('reports the currency of unambiguous signs and codes only', () => {
    expect(cleanNumber('€ 99,90', 'amount')).toEqual({
      value: { value: 99.9, currency: 'EUR', currencySign: '€' },
      warnings: [],
    });
    expect(cleanNumber('$5', 'amount')).toEqual({
      value: { value: 5, currency: undefined, currencySign: '$' },
      warnings: [],
    });
    expect(cleanNumber('RMB 8', 'amount')).toMatchObject({ value: { value: 8, currency: 'CNY' } });
  });
  it('reads 1,234 with the file hint or a decimal point, and warns', () => {
    expect(cleanNumber('1,234', 'amount')).toEqual({
      value: { value: 1234 },
      warnings: ['amount: 1,234 is ambiguous, read with a decimal point (declare decimalSeparator)'],
    });
    expect(cleanNumber('1,234', 'amount', { hint: ',' })).toMatchObject({ value: { value: 1.234 } });
  });
  it('follows a declared separator and refuses values that contradict it', () => {
    expect(value('1,234', { decimalSeparator: ',' })).toBe(1.234);
    expect(value('1.234', { decimalSeparator: ',' })).toBe(1234);
    expect(value('1,234.5', { decimalSeparator: ',' })).toBe(
      'amount: 1,234.5 does not use the declared decimal separator ,',
    );
  });
  it('refuses what is not a number', () => {
    expect(value('abc')).toBe('amount: is not a number');
    expect(value('12abc')).toBe('amount: is not a number');
    expect(value('1,23,4.5')).toBe('amount: 1,23,4.5 has misplaced thousands separators');
  });
});

describe('dates', () => {
  it.each([
    ['2024-01-05', '2024-01-05'],
    ['2024/1/5', '2024-01-05'],
    ['20240105', '2024-01-05'],
    ['2024年1月5日', '2024-01-05'],
    ['5 Jan 2024', '2024-01-05'],
    ['05-Jan-2024', '2024-01-05'],
    ['January 5, 2024', '2024-01-05'],
    ['2024-01-05T00:00:00', '2024-01-05'],
    ['31/12/2024', '2024-12-31'],
    ['12/31/2024', '2024-12-31'],
  ])('cleanDate reads %s as %s', (input, expected) => {
    expect(cleanDate(input, 'birthDate')).toEqual({ value: expected, warnings: [] });
  });
  it('reads ambiguous D/M values in the file order, else the fallback with a warning', () => {
    expect(cleanDate('03/04/2024', 'd', { order: 'MDY' })).toEqual({ value: '2024-03-04', warnings: [] });
    expect(cleanDate('03/04/2024', 'd', { fallbackOrder: 'DMY' })).toEqual({
      value: '2024-04-03',
      warnings: ['d: 03/04/2024 is ambiguous, read as DD/MM/YYYY'],
    });
  });
  it('follows a declared format and refuses values that contradict it', () => {
    expect(cleanDate('03.04.2024', 'd', { format: 'DD.MM.YYYY' })).toEqual({
      value: '2024-04-03',
      warnings: [],
    });
    expect(cleanDate('04/13/2024', 'd', { format: 'DD/MM/YYYY' })).toEqual({
      reason: 'd: 04/13/2024 is not a valid date in the declared format DD/MM/YYYY',
      warnings: [],
    });
    expect(cleanDate('03/04/2024', 'd', { format: 'YYYY-MM-DD' })).toEqual({
      reason: 'd: 03/04/2024 is not in the declared format YYYY-MM-DD',
      warnings: [],
    });
  });
  it('refuses impossible dates', () => {
    expect(cleanDate('2023-02-29', 'd')).toEqual({
      reason: 'd: 2023-02-29 is not a valid date',
      warnings: [],
    });
    expect(cleanDate('soon', 'd')).toEqual({ reason: 'd: soon is not a valid date', warnings: [] });
  });
  it('warns about two-digit years and Excel serial numbers', () => {
    expect(cleanDate('05/01/85', 'd', { order: 'DMY' })).toEqual({
      value: '1985-01-05',
      warnings: ['d: two-digit year 85 read as 1985'],
    });
    expect(cleanDate('45292', 'd')).toEqual({
      value: '2024-01-01',
      warnings: ['d: 45292 read as an Excel serial date'],
    });
  });
  it('cleanDateTime reads local times in the time zone, and honours explicit offsets', () => {
    expect(cleanDateTime('2024-07-01 09:30', 'date', { timeZone: 'Europe/London' })).toEqual({
      value: '2024-07-01T08:30:00.000Z',
      warnings: [],
    });
    expect(cleanDateTime('2024-01-15', 'date', { timeZone: 'Asia/Shanghai' })).toEqual({
      value: '2024-01-14T16:00:00.000Z',
      warnings: [],
    });
    expect(cleanDateTime('2024-07-01T09:30:00+08:00', 'date', { timeZone: 'Europe/London' })).toEqual({
      value: '2024-07-01T01:30:00.000Z',
      warnings: [],
    });
    expect(cleanDateTime('1/2/2024 1:05 PM', 'date', { order: 'MDY' })).toEqual({
      value: '2024-01-02T13:05:00.000Z',
      warnings: [],
    });
  });
  it('DateOrderDetector decides from values with a number above 12', () => {
    const d = new DateOrderDetector();
    for (const v of ['01/02/2024', '25/12/2023', '13/01/2024', 'hello', '2024-01-01']) d.observe(v);
    expect(d.order).toBe('DMY');
    expect(d.explanation).toBe('dates read as DD/MM/YYYY: 2 values have a number above 12 first');
    d.observe('12/31/2024');
    expect(d.explanation).toBe(
      'dates read as DD/MM/YYYY: 2 values have a number above 12 first (1 values disagree)',
    );
    expect(new DateOrderDetector().order).toBeUndefined();
  });
});

describe('splitFullName', () => {
  it.each([
    ['王小明', { lastName: '王', firstName: '小明' }],
    ['张伟', { lastName: '张', firstName: '伟' }],
    ['欧阳娜娜', { lastName: '欧阳', firstName: '娜娜' }],
    ['司马光', { lastName: '司马', firstName: '光' }],
    ['김민준', { lastName: '김', firstName: '민준' }],
    ['Mary Jones', { firstName: 'Mary', lastName: 'Jones' }],
    ['Mary Ann Jones', { firstName: 'Mary Ann', lastName: 'Jones' }],
    ['Jones, Mary', { firstName: 'Mary', lastName: 'Jones' }],
    ['Dr. Mary Jones', { firstName: 'Mary', lastName: 'Jones' }],
    ['Ludwig van Beethoven', { firstName: 'Ludwig', lastName: 'van Beethoven' }],
    ['Martin Luther King, Jr.', { firstName: 'Martin Luther', lastName: 'King Jr.' }],
    ['Cher', { firstName: 'Cher' }],
  ])('%s', (name, expected) => {
    expect(splitFullName(name)).toEqual(expected);
  });
});

describe('formula cells', () => {
  it.each(['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(A1:A2)', '-2+3+cmd|x'])(
    'flags %s',
    (v) => {
      expect(isFormulaCell(v)).toBe(true);
      expect(safeCsvCell(v)).toBe(`'${v}`);
    },
  );
  // A signed phone number is not a formula warning, but a report prefixes it: Excel reads the spaces
  // in `+44 7911 123456` as its intersection operator and evaluates the cell.
  it.each(['-12.50', 'plain', '-', '(5.00)'])('leaves %s alone', (v) => {
    expect(isFormulaCell(v)).toBe(false);
    expect(safeCsvCell(v)).toBe(v);
  });
  it('toCsvField neutralises and quotes', () => {
    expect(toCsvField('=1+1,2')).toBe(`"'=1+1,2"`);
    expect(toCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvField(12.5)).toBe('12.5');
  });
});

describe('cleanCountry', () => {
  it.each([
    ['GB', 'GB'],
    ['uk', 'GB'],
    ['United Kingdom', 'GB'],
    ['England', 'GB'],
    ['USA', 'US'],
    ['中国', 'CN'],
    ['国家', undefined],
    ['Deutschland', 'DE'],
    ['FRA', 'FR'],
  ])('%s -> %s', (input, code) => {
    const r = cleanCountry(input);
    expect('value' in r ? r.value : undefined).toBe(code);
  });
});
