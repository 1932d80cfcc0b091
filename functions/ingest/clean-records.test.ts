import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanProfileRecord } from './clean-profile-record';
import { cleanTransactionRecord } from './clean-transaction-record';
import type { IngestContext } from './ingest-context';
import { ingestRecords } from './ingest-records';
import type { Manifest } from './manifest';
import type { IngestKind } from './plan-columns';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/ingest');
const NOW = '2026-01-01T00:00:00.000Z';

const context = (manifest: Manifest = {}, extra: Partial<IngestContext> = {}): IngestContext => ({
  importId: 'imp_test',
  manifest,
  defaultCountry: 'GB',
  source: { name: 'crm', kind: 'internal' },
  now: NOW,
  ...extra,
});

const ingest = async (name: string, kind: IngestKind, manifest: Manifest = {}) => {
  const out: unknown[] = [];
  for await (const r of ingestRecords(createReadStream(join(FIXTURES, name)), kind, context(manifest))) {
    out.push('fileErrors' in r ? r : { row: r.row, line: r.line, ...r.result });
  }
  return out;
};

describe('profiles from the fixtures', () => {
  it('the same person in several spellings cleans to one email and phone', async () => {
    const rows = await ingest('same-person.csv', 'profiles');
    const expected = {
      email: 'mary.jones@example.com',
      phone: '+447911123456',
      firstName: 'Mary',
      lastName: 'Jones',
    };
    expect(rows).toEqual([
      { row: 1, line: 2, value: { fields: expected, phoneType: 'mobile' }, warnings: [] },
      {
        row: 2,
        line: 3,
        value: { fields: { ...expected, firstName: 'MARY', lastName: 'JONES' }, phoneType: 'mobile' },
        warnings: [],
      },
      { row: 3, line: 4, value: { fields: expected, phoneType: 'mobile' }, warnings: [] },
      { row: 4, line: 5, value: { fields: expected, phoneType: 'mobile' }, warnings: [] },
    ]);
  });

  it('Chinese GBK file: 姓名 split family name first, 手机号 read in CN, Chinese dates', async () => {
    const rows = await ingest('gbk-chinese.csv', 'profiles', { defaultCountry: 'CN' });
    expect(rows).toEqual([
      {
        row: 1,
        line: 2,
        value: {
          fields: {
            email: 'wang@example.cn',
            phone: '+8613812345678',
            firstName: '小明',
            lastName: '王',
            birthDate: '1990-05-03',
            city: '上海',
          },
          phoneType: 'mobile',
        },
        warnings: [],
      },
      {
        row: 2,
        line: 3,
        value: {
          fields: {
            email: 'ouyang@example.cn',
            phone: '+8613912345678',
            firstName: '娜娜',
            lastName: '欧阳',
            birthDate: '2000-12-01',
            city: '北京',
          },
          phoneType: 'mobile',
        },
        warnings: [],
      },
      {
        row: 3,
        line: 4,
        value: {
          fields: {
            email: 'zhang@qq.con',
            phone: '+8613712345678',
            firstName: '伟',
            lastName: '张',
            birthDate: '1985-07-21',
            city: '广州',
          },
          phoneType: 'mobile',
        },
        warnings: ['email: domain qq.con looks like a typo of qq.com (kept as written)'],
      },
    ]);
  });

  it('invalid emails and phones, missing identifiers: each rejected naming the field', async () => {
    expect(await ingest('invalid-contacts.csv', 'profiles')).toEqual([
      { row: 1, line: 2, reasons: ['email: is not a valid email address'], warnings: [] },
      {
        row: 2,
        line: 3,
        reasons: ['phone: is not a valid phone number (read with default country GB)'],
        warnings: ['email: domain gmial.com looks like a typo of gmail.com (kept as written)'],
      },
      {
        row: 3,
        line: 4,
        value: { fields: { email: 'paul@hotmial.com', firstName: 'Paul' } },
        warnings: ['email: domain hotmial.com looks like a typo of hotmail.com (kept as written)'],
      },
      {
        row: 4,
        line: 5,
        reasons: ['no identifier: give an email, a phone or a customer id (externalId)'],
        warnings: [],
      },
      {
        row: 5,
        line: 6,
        reasons: ['no identifier: give an email, a phone or a customer id (externalId)'],
        warnings: [],
      },
      {
        row: 6,
        line: 7,
        reasons: ['phone: 4.47911E+11 is a number a spreadsheet rounded; its digits are lost'],
        warnings: [],
      },
    ]);
  });

  it('formula cells are kept as text and flagged', async () => {
    expect(await ingest('formulas.csv', 'profiles')).toEqual([
      {
        row: 1,
        line: 2,
        value: {
          fields: {
            email: 'tom@example.com',
            firstName: '=HYPERLINK("http://evil.example","click")',
            lastName: 'Tomlin',
            city: 'London',
          },
        },
        warnings: ['firstName: looks like a spreadsheet formula, kept as text'],
      },
      {
        row: 2,
        line: 3,
        value: {
          fields: {
            email: 'uma@example.com',
            firstName: 'Uma',
            lastName: "+cmd|' /C calc'!A0",
            city: 'Leeds',
          },
        },
        warnings: ['lastName: looks like a spreadsheet formula, kept as text'],
      },
      {
        row: 3,
        line: 4,
        value: {
          fields: { email: 'vic@example.com', firstName: 'Vic', lastName: 'Vance', city: '@SUM(1+1)' },
        },
        warnings: ['city: looks like a spreadsheet formula, kept as text'],
      },
    ]);
  });

  it('JSON Lines: attributes, tags, aliases; bad lines rejected in place', async () => {
    expect(await ingest('profiles.jsonl', 'profiles')).toEqual([
      {
        row: 1,
        line: 1,
        value: { fields: { email: 'kate@example.com', firstName: 'Kate', attributes: { tier: 'gold' } } },
        warnings: [],
      },
      {
        row: 2,
        line: 2,
        value: { fields: { email: 'leo@example.com', tags: ['a', 'b'], birthDate: '1992-02-29' } },
        warnings: [],
      },
      { row: 3, line: 3, reasons: [expect.stringMatching(/^not valid JSON/)] },
      { row: 4, line: 5, reasons: ['not a JSON object (a JSON array)'] },
      {
        row: 5,
        line: 6,
        value: { fields: { phone: '+447911123456', gender: 'female' }, phoneType: 'mobile' },
        warnings: [],
      },
    ]);
  });

  it('Windows-1252 names, unmapped columns kept as attributes', async () => {
    const rows = (await ingest('windows-1252.csv', 'profiles', { unmappedColumns: 'attributes' })) as {
      value: { fields: unknown };
    }[];
    expect(rows.map((r) => r.value.fields)).toEqual([
      {
        email: 'helene@example.fr',
        firstName: 'Hélène',
        lastName: 'Dupré',
        city: 'Orléans',
        attributes: { balance: '1.234,50 €' },
      },
      {
        email: 'jurgen@example.de',
        firstName: 'Jürgen',
        lastName: 'Groß',
        city: 'München',
        attributes: { balance: '€ 99,90' },
      },
      {
        email: 'francois@example.be',
        firstName: 'François',
        lastName: 'Côté',
        city: 'Liège',
        attributes: { balance: '12,00 €' },
      },
    ]);
  });

  it('a header-less file with columnNames', async () => {
    expect(
      await ingest('headerless.csv', 'profiles', {
        header: false,
        columnNames: ['email', 'first name', 'phone'],
      }),
    ).toEqual([
      {
        row: 1,
        line: 1,
        value: {
          fields: { email: 'wendy@example.com', firstName: 'Wendy', phone: '+447911123457' },
          phoneType: 'mobile',
        },
        warnings: [],
      },
      {
        row: 2,
        line: 2,
        value: {
          fields: { email: 'xavier@example.com', firstName: 'Xavier', phone: '+442079460123' },
          phoneType: 'landline',
        },
        warnings: [],
      },
    ]);
  });

  it('two columns for one field stop the file', async () => {
    const rows = await ingest('pipe.csv', 'profiles', { columns: { tags: 'email' } });
    expect(rows).toEqual([
      {
        fileErrors: [
          "columns 1 (email) and 3 (tags) both map to email: map one elsewhere or to ignore in the manifest's columns",
        ],
      },
    ]);
  });
});

describe('cleanProfileRecord', () => {
  it('consent columns and list consent (internal sources only) carry the source and time', () => {
    const r = cleanProfileRecord(
      { email: 'a@example.com', emailConsent: 'Yes', marketingConsent: 'no' },
      context({ consent: { sms: 'granted' } }),
    );
    expect(r).toEqual({
      value: {
        fields: {
          email: 'a@example.com',
          consent: {
            email: { status: 'granted', source: 'crm', timestamp: NOW },
            sms: { status: 'denied', source: 'crm', timestamp: NOW },
          },
        },
      },
      warnings: [],
    });
    const external = cleanProfileRecord(
      { email: 'a@example.com' },
      { ...context({ consent: { email: 'granted' } }), source: { name: 'broker', kind: 'external' } },
    );
    expect(external).toEqual({ value: { fields: { email: 'a@example.com' } }, warnings: [] });
  });

  it('names every bad field', () => {
    const r = cleanProfileRecord(
      {
        email: 'a@example.com',
        birthDate: '2030-01-01',
        gender: 'sometimes',
        country: 'Atlantis',
        timeZone: 'Mars/Base',
        emailConsent: 'perhaps',
      },
      context(),
    );
    expect(r).toEqual({
      reasons: [
        'birthDate: 2030-01-01 is in the future',
        'gender: must be female, male, other or unknown',
        'country: Atlantis is not a country name or ISO code',
        'timeZone: must be an IANA time zone such as Europe/London',
        'emailConsent: must be yes or no (granted, denied or unsubscribed)',
      ],
      warnings: [],
    });
  });

  it('reads the rest: locale, postcode, tags, country names, last purchase', () => {
    const r = cleanProfileRecord(
      {
        externalId: ' C-1 ',
        locale: 'en_GB',
        postalCode: 'sw1a 1aa',
        tags: 'vip, newsletter；vip',
        country: 'United Kingdom',
        lastPurchaseAt: '2024-03-05',
        fullName: 'Ann Lee',
        firstName: 'Annie',
      },
      context(),
    );
    expect(r).toEqual({
      value: {
        fields: {
          externalId: 'C-1',
          locale: 'en-GB',
          postalCode: 'SW1A 1AA',
          tags: ['vip', 'newsletter'],
          country: 'GB',
          lastPurchaseAt: '2024-03-05T00:00:00.000Z',
          firstName: 'Annie',
        },
      },
      warnings: [],
    });
  });
});

describe('transactions', () => {
  it('CDNOW whitespace file with the manifest currency', async () => {
    const rows = await ingest('cdnow-whitespace.txt', 'transactions', { currency: 'USD' });
    const tx = (id: string, day: string, quantity: number, amount: number) => ({
      type: 'purchase',
      timestamp: `${day}T00:00:00.000Z`,
      customer: { externalId: id },
      profile: { externalId: id },
      quantity,
      properties: { amount, currency: 'USD' },
    });
    expect(rows).toEqual([
      { row: 1, line: 2, value: tx('00001', '1997-01-01', 1, 11.77), warnings: [] },
      { row: 2, line: 3, value: tx('00002', '1997-01-12', 1, 12), warnings: [] },
      { row: 3, line: 4, value: tx('00002', '1997-01-12', 5, 77), warnings: [] },
      { row: 4, line: 5, value: tx('00003', '1997-01-02', 2, 20.76), warnings: [] },
    ]);
  });

  it('semicolons, decimal commas and day-first dates', async () => {
    const rows = (await ingest('semicolon-decimal-comma.csv', 'transactions')) as {
      value: { timestamp: string; properties: unknown };
    }[];
    expect(rows.map((r) => [r.value.timestamp, r.value.properties])).toEqual([
      ['2024-01-31T00:00:00.000Z', { amount: 1234.56, currency: 'EUR' }],
      ['2024-02-05T00:00:00.000Z', { amount: 12.5, currency: 'EUR' }],
      ['2024-02-13T00:00:00.000Z', { amount: 0.99, currency: 'EUR' }],
    ]);
  });

  it('refunds: a negative amount, or type refund; a negative purchase is refused', () => {
    const base = { email: 'A@Example.com', date: '2024-05-01 10:00', orderId: 'O-1', currency: 'gbp' };
    expect(cleanTransactionRecord({ ...base, amount: '-12.50' }, context())).toMatchObject({
      value: { type: 'refund', properties: { amount: 12.5, currency: 'GBP', orderId: 'O-1' } },
    });
    expect(cleanTransactionRecord({ ...base, amount: '12.50', type: '退款' }, context())).toMatchObject({
      value: { type: 'refund', properties: { amount: 12.5 } },
    });
    expect(cleanTransactionRecord({ ...base, amount: '-12.50', type: 'purchase' }, context())).toEqual({
      reasons: ['amount: a purchase cannot be negative (write type refund, or a positive amount)'],
      warnings: [],
    });
  });

  it('items, quantity, currency from the amount sign, time zone', () => {
    const r = cleanTransactionRecord(
      {
        externalId: 'C1',
        phone: '07911 123456',
        date: '2024-07-01 09:30',
        amount: '€ 30,00',
        quantity: '3',
        sku: 'SKU-1',
        category: 'Books',
        eventId: 'e-1',
      },
      context({ timeZone: 'Europe/Paris', decimalSeparator: ',' }),
    );
    expect(r).toEqual({
      value: {
        eventId: 'e-1',
        type: 'purchase',
        timestamp: '2024-07-01T07:30:00.000Z',
        customer: { externalId: 'C1', phone: '+447911123456' },
        profile: { externalId: 'C1' },
        phoneType: 'mobile',
        quantity: 3,
        properties: {
          amount: 30,
          currency: 'EUR',
          items: [{ sku: 'SKU-1', category: 'Books', quantity: 3, price: 10 }],
        },
      },
      warnings: [],
    });
  });

  it('needs a customer, a date, an amount and a currency', () => {
    expect(cleanTransactionRecord({ sku: 'x' }, context())).toEqual({
      reasons: [
        'no customer: give a customer id (externalId), an email or a phone',
        'date: is missing',
        'amount: is missing',
      ],
      warnings: [],
    });
    expect(cleanTransactionRecord({ externalId: 'c', date: '2024-01-01', amount: '$5' }, context())).toEqual({
      reasons: ["currency: is missing (add a currency column or the manifest's currency)"],
      warnings: ['amount: currency sign $ is ambiguous, not used'],
    });
    expect(
      cleanTransactionRecord(
        { externalId: 'c', date: '2024-01-01', amount: '5' },
        context({}, { baseCurrency: 'USD' }),
      ),
    ).toMatchObject({ value: { properties: { amount: 5, currency: 'USD' } } });
  });

  it('refuses contradictions and bad values, naming each field', () => {
    expect(
      cleanTransactionRecord(
        { externalId: 'c', date: '31/31/2024', amount: '€5', currency: 'USD', quantity: '1.5', type: 'gift' },
        context(),
      ),
    ).toEqual({
      reasons: [
        'date: 31/31/2024 is not a valid date',
        'quantity: must be a whole number',
        'type: gift is neither purchase nor refund',
        'currency: the amount is written in EUR, the currency column says USD',
      ],
      warnings: [],
    });
  });
});
