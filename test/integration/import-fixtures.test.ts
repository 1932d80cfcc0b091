/**
 * Every ingest fixture (test/fixtures/ingest, whose exact parse functions/ingest/open-ingest-file.test.ts
 * states) and the pipeline fixtures (test/fixtures/pipeline) dropped through the real import path:
 * upload under `imports/profiles/` -> S3 notification bridged into SQS -> the import-profiles handler
 * -> DynamoDB. For each file: the exact counts, the exact rejected rows and reasons, the reports (with
 * formula cells neutralised) and the exact profiles as the HTTP API returns them.
 *
 * All integration files share one stack, so each drop is a per-test copy of its fixture whose emails,
 * phones and customer ids are made unique, re-encoded byte for byte in the fixture's own charset.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { api, endpoints, eventually, s3 } from './support';

const INGEST = new URL('../fixtures/ingest/', import.meta.url);
const PIPELINE = new URL('../fixtures/pipeline/', import.meta.url);
const ingestFixture = (name: string) => readFileSync(new URL(name, INGEST));
const pipelineFixture = (name: string) => readFileSync(new URL(name, PIPELINE));

type Charset = 'utf-8' | 'utf-16le' | 'gbk' | 'windows-1252';

/** Digits only, so the upper-case and full-width spellings of an address stay the same address. */
const RUN = String(1000 + Math.floor(Math.random() * 9000));
let copies = 0;
const usedNumbers = new Set<string>();

/** `length` digits starting with `lead`, never handed out twice in this file. */
const freshDigits = (length: number, lead: string): string => {
  for (;;) {
    let digits = lead;
    while (digits.length < length) digits += String(Math.floor(Math.random() * 10));
    if (!usedNumbers.has(digits)) {
      usedNumbers.add(digits);
      return digits;
    }
  }
};

/** ASCII digits as full-width digits (`0` -> `０`). */
const fullWidth = (digits: string) =>
  digits.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** A UK mobile in the 07911 8xxxxx block (valid; no other test uses it). */
const ukMobile = () => {
  const six = freshDigits(6, '8');
  return { six, national: `07911 ${six}`, e164: `+447911${six}` };
};

interface Copy {
  readonly bytes: Buffer;
  /** The copy's unique tag (digits), also in its key. */
  readonly tag: string;
  /** The address `local@domain` of the fixture as this copy spells it. */
  readonly mail: (address: string) => string;
}

/** An address's `@` (ASCII or full-width) after a local part and before a domain: not `,@SUM(`. */
const AT = /(?<=[\p{L}\p{N}._-])([@＠])(?=[\p{L}\p{N}])/gu;

/**
 * A copy of a fixture with unique identifiers: every address gets `.<tag>` at the end of its local
 * part (`．<tag>` in full-width for a full-width address) and each `replace` pair is applied (each
 * must occur; `{tag}` in the replacement is the copy's tag). The text is decoded and re-encoded in the fixture's charset, BOM included, and the
 * round trip of the untouched fixture is checked to be byte-exact first.
 */
const personalise = (
  original: Buffer,
  options: { charset: Charset; gzip?: boolean; replace?: readonly (readonly [string, string])[] },
): Copy => {
  const tag = `${RUN}${copies++}`;
  const raw = options.gzip ? gunzipSync(original) : original;
  const text = iconv.decode(raw, options.charset, { stripBOM: false });
  if (!iconv.encode(text, options.charset, { addBOM: false }).equals(raw)) {
    throw new Error(`the fixture does not round-trip through ${options.charset}`);
  }
  let out = text;
  for (const [from, to] of options.replace ?? []) {
    if (!out.includes(from)) throw new Error(`the fixture has no ${from}`);
    out = out.split(from).join(to.replace('{tag}', tag));
  }
  out = out.replace(AT, (at) => (at === '@' ? `.${tag}@` : `．${fullWidth(tag)}＠`));
  const encoded = iconv.encode(out, options.charset, { addBOM: false });
  return {
    bytes: options.gzip ? gzipSync(encoded) : encoded,
    tag,
    mail: (address) => address.replace('@', `.${tag}@`),
  };
};

const keyOf = (copy: Copy, name: string) => `imports/profiles/fixtures-${copy.tag}/${name}`;

const put = async (key: string, body: Buffer) =>
  s3().send(new PutObjectCommand({ Bucket: endpoints().bucket, Key: key, Body: body }));

const readObject = async (key: string) =>
  (await s3().send(new GetObjectCommand({ Bucket: endpoints().bucket, Key: key }))).Body!.transformToString();

/** RFC 4180 (the reports' dialect: comma, double quotes, LF). */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && !started) {
      quoted = true;
      started = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      started = false;
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      started = false;
    } else {
      cell += c;
      started = true;
    }
  }
  if (started || row.length > 0) rows.push([...row, cell]);
  return rows;
};

interface Reject {
  row: number;
  line: number;
  reason: string;
  raw: string;
}
interface Warning {
  row: number;
  line: number;
  warning: string;
}

interface Dropped {
  record: any;
  source: string;
  rejects: Reject[];
  warnings: Warning[];
  rejectsCsv: string;
  warningsCsv: string;
}

/**
 * Uploads the sidecar manifest (if any), then the file; waits for the import to finish; reads both
 * CSV reports and checks that no cell of theirs would be read by a spreadsheet as a formula.
 */
const drop = async (key: string, body: Buffer, manifest?: Buffer | object): Promise<Dropped> => {
  if (manifest !== undefined) {
    await put(
      `${key}.manifest.json`,
      Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest)),
    );
  }
  const eTag = ((await put(key, body)).ETag ?? '').replace(/"/g, '');
  const importId = importIdOf({ bucket: endpoints().bucket, key, eTag, size: body.length });
  const record = await eventually(
    async () => {
      const res = await api('GET', `/imports/${importId}`);
      return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
    },
    30_000,
    `import of ${key}`,
  );
  expect(record.failureReason).toBeUndefined();
  expect(record.status).toBe('completed');
  expect(record.reports).toEqual({
    rejects: `reports/${importId}/rejects.csv`,
    warnings: `reports/${importId}/warnings.csv`,
    summary: `reports/${importId}/summary.json`,
  });
  const rejectsCsv = await readObject(record.reports.rejects);
  const warningsCsv = await readObject(record.reports.warnings);
  const rejectRows = parseCsv(rejectsCsv);
  const warningRows = parseCsv(warningsCsv);
  expect(rejectRows[0]).toEqual(['row', 'line', 'reason', 'raw']);
  expect(warningRows[0]).toEqual(['row', 'line', 'warning']);
  for (const cell of [...rejectRows, ...warningRows].flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  const { counts } = record;
  expect(counts.created + counts.updated + counts.merged + counts.unchanged + counts.rejected).toBe(
    counts.rowsRead,
  );
  const rejects = rejectRows.slice(1).map(([row, line, reason, raw]) => {
    expect([row, line]).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]);
    return { row: Number(row), line: Number(line), reason: reason!, raw: raw! };
  });
  const warnings = warningRows.slice(1).map(([row, line, warning]) => ({
    row: Number(row),
    line: Number(line),
    warning: warning!,
  }));
  expect(rejects).toHaveLength(counts.rejected);
  expect(warnings).toHaveLength(counts.warnings);
  return { record, source: `drop-folder:${key}`, rejects, warnings, rejectsCsv, warningsCsv };
};

const counts = (partial: Partial<Record<string, number>>) => ({
  rowsRead: 0,
  created: 0,
  updated: 0,
  merged: 0,
  unchanged: 0,
  rejected: 0,
  warnings: 0,
  ...partial,
});

const CLIENT_FIELDS = [
  'externalId',
  'email',
  'phone',
  'phoneType',
  'firstName',
  'lastName',
  'birthDate',
  'gender',
  'city',
  'postalCode',
  'country',
  'locale',
  'timeZone',
  'tags',
  'attributes',
  'consent',
  'lastPurchaseAt',
  'lastActivityAt',
] as const;

/** What a client sees of a profile, without ids, versions and timestamps. */
const view = (profile: any) => {
  const out: Record<string, unknown> = {};
  for (const field of CLIENT_FIELDS) if (profile[field] !== undefined) out[field] = profile[field];
  out.provenance = { kind: profile.provenance.kind, source: profile.provenance.source };
  return out;
};

/** The profile a drop created, as `view` shows it: no tags, attributes or consent unless given. */
const imported = (source: string, fields: Record<string, unknown>) => ({
  tags: [],
  attributes: {},
  consent: {},
  ...fields,
  provenance: { kind: 'internal', source },
});

/** The one profile with this identifier (any spelling, as the API looks it up). */
const profileBy = async (by: 'email' | 'phone' | 'externalId', value: string) => {
  const res = await api('GET', `/profiles?${by}=${encodeURIComponent(value)}`);
  expect(res.status).toBe(200);
  expect(res.json.items, `one profile with ${by} ${value}`).toHaveLength(1);
  return res.json.items[0];
};

const noProfileBy = async (by: 'email' | 'phone' | 'externalId', value: string) => {
  const res = await api('GET', `/profiles?${by}=${encodeURIComponent(value)}`);
  expect(res.status).toBe(200);
  expect(res.json.items).toEqual([]);
};

const FORMULA_WARNING = (field: string) => `${field}: looks like a spreadsheet formula, kept as text`;
const NO_IDENTIFIER = 'no identifier: give an email, a phone or a customer id (externalId)';

describe('the ingest fixtures through the drop folder', () => {
  it('UTF-8 with BOM: accents and CJK intact on the profiles', async () => {
    const copy = personalise(ingestFixture('utf8-bom.csv'), { charset: 'utf-8' });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'utf8-bom.csv'), copy.bytes);
    expect(record.detected.charset).toMatchObject({ charset: 'utf-8', source: 'bom', bom: true });
    expect(record.counts).toEqual(counts({ rowsRead: 2, created: 2 }));
    expect(record.ignoredColumns).toEqual([]);
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    expect(view(await profileBy('email', copy.mail('zoe@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('zoe@example.com'),
        firstName: 'Zoë',
        lastName: 'Brontë',
        city: 'Zürich',
      }),
    );
    expect(view(await profileBy('email', copy.mail('li@example.cn')))).toEqual(
      imported(source, { email: copy.mail('li@example.cn'), firstName: '磊', lastName: '李', city: '北京' }),
    );
  });

  it('UTF-16LE tab-separated (Excel Unicode text): full names split, phones in E.164', async () => {
    const de = freshDigits(8, '2');
    const cn = freshDigits(8, '9');
    const copy = personalise(ingestFixture('utf16le-excel.txt'), {
      charset: 'utf-16le',
      replace: [
        ['+49 151 23456789', `+49 151 ${de}`],
        ['+86 138 1234 5678', `+86 138 ${cn.slice(0, 4)} ${cn.slice(4)}`],
      ],
    });
    expect(copy.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'utf16le-excel.txt'), copy.bytes);
    expect(record.detected).toMatchObject({
      charset: { charset: 'utf-16le', source: 'bom' },
      format: 'csv',
      delimiter: '\t',
    });
    expect(record.counts).toEqual(counts({ rowsRead: 2, created: 2 }));
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    expect(view(await profileBy('email', copy.mail('anna@example.de')))).toEqual(
      imported(source, {
        email: copy.mail('anna@example.de'),
        phone: `+49151${de}`,
        phoneType: 'mobile',
        firstName: 'Anna',
        lastName: 'Müller',
      }),
    );
    expect(view(await profileBy('phone', `+86138${cn}`))).toEqual(
      imported(source, {
        email: copy.mail('wang@example.cn'),
        phone: `+86138${cn}`,
        phoneType: 'mobile',
        firstName: '小明',
        lastName: '王',
      }),
    );
  });

  it('GBK with Chinese headers (charset detected, phones read in CN): names, dates, a typo warned', async () => {
    const [a, b, c] = [freshDigits(8, '5'), freshDigits(8, '6'), freshDigits(8, '7')];
    const copy = personalise(ingestFixture('gbk-chinese.csv'), {
      charset: 'gbk',
      replace: [
        ['13812345678', `138${a}`],
        ['139 1234 5678', `139 ${b.slice(0, 4)} ${b.slice(4)}`],
        ['１３７１２３４５６７８', fullWidth(`137${c}`)],
      ],
    });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'gbk-chinese.csv'), copy.bytes, {
      defaultCountry: 'CN',
    });
    expect(record.detected.charset).toMatchObject({ charset: 'gb18030', source: 'detected' });
    expect(record.counts).toEqual(counts({ rowsRead: 3, created: 3, warnings: 1 }));
    expect(record.ignoredColumns).toEqual([]);
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([
      {
        row: 3,
        line: 4,
        warning: 'email: domain qq.con looks like a typo of qq.com (kept as written)',
      },
    ]);
    expect(view(await profileBy('email', copy.mail('wang@example.cn')))).toEqual(
      imported(source, {
        email: copy.mail('wang@example.cn'),
        phone: `+86138${a}`,
        phoneType: 'mobile',
        firstName: '小明',
        lastName: '王',
        birthDate: '1990-05-03',
        city: '上海',
      }),
    );
    expect(view(await profileBy('email', copy.mail('ouyang@example.cn')))).toEqual(
      imported(source, {
        email: copy.mail('ouyang@example.cn'),
        phone: `+86139${b}`,
        phoneType: 'mobile',
        firstName: '娜娜',
        lastName: '欧阳',
        birthDate: '2000-12-01',
        city: '北京',
      }),
    );
    expect(view(await profileBy('phone', `+86137${c}`))).toEqual(
      imported(source, {
        email: copy.mail('zhang@qq.con'),
        phone: `+86137${c}`,
        phoneType: 'mobile',
        firstName: '伟',
        lastName: '张',
        birthDate: '1985-07-21',
        city: '广州',
      }),
    );
  });

  it('Windows-1252 with semicolons: accents decoded, the unknown column ignored and reported', async () => {
    const copy = personalise(ingestFixture('windows-1252.csv'), { charset: 'windows-1252' });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'windows-1252.csv'), copy.bytes);
    expect(record.detected).toMatchObject({
      charset: { charset: 'windows-1252', source: 'detected' },
      delimiter: ';',
    });
    expect(record.counts).toEqual(counts({ rowsRead: 3, created: 3 }));
    expect(record.ignoredColumns).toEqual(['balance']);
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    const people = [
      ['helene@example.fr', 'Hélène', 'Dupré', 'Orléans'],
      ['jurgen@example.de', 'Jürgen', 'Groß', 'München'],
      ['francois@example.be', 'François', 'Côté', 'Liège'],
    ] as const;
    for (const [email, firstName, lastName, city] of people) {
      expect(view(await profileBy('email', copy.mail(email)))).toEqual(
        imported(source, { email: copy.mail(email), firstName, lastName, city }),
      );
    }
  });

  it('semicolons with decimal commas: each amount stays one cell (kept as an attribute)', async () => {
    const copy = personalise(ingestFixture('semicolon-decimal-comma.csv'), {
      charset: 'utf-8',
      replace: [['\n100', '\nC{tag}-100']],
    });
    const id = (n: string) => `C${copy.tag}-${n}`;
    const { record, source, rejects, warnings } = await drop(
      keyOf(copy, 'semicolon-decimal-comma.csv'),
      copy.bytes,
      { unmappedColumns: 'attributes' },
    );
    expect(record.detected).toMatchObject({ delimiter: ';', decimalSeparatorHint: ',', dateOrder: 'DMY' });
    expect(record.counts).toEqual(counts({ rowsRead: 3, created: 3 }));
    expect(record.ignoredColumns).toEqual([]);
    expect(record.columnWarnings).toEqual(['column 2 (order date) kept as attributes.order_date']);
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    const rows = [
      ['1001', '31/01/2024', '1.234,56'],
      ['1002', '05/02/2024', '12,5'],
      ['1003', '13/02/2024', '0,99'],
    ] as const;
    for (const [n, date, amount] of rows) {
      expect(view(await profileBy('externalId', id(n)))).toEqual(
        imported(source, {
          externalId: id(n),
          attributes: { order_date: date, amount, currency: 'EUR' },
        }),
      );
    }
  });

  it('pipe-delimited: tags split, a mobile and a landline', async () => {
    const mobile = ukMobile();
    const landline = freshDigits(4, '0');
    const copy = personalise(ingestFixture('pipe.csv'), {
      charset: 'utf-8',
      replace: [
        ['07911 123456', mobile.national],
        ['+44 20 7946 0958', `+44 20 7946 ${landline}`],
      ],
    });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'pipe.csv'), copy.bytes);
    expect(record.detected).toMatchObject({ delimiter: '|' });
    expect(record.counts).toEqual(counts({ rowsRead: 2, created: 2 }));
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    expect(view(await profileBy('phone', mobile.e164))).toEqual(
      imported(source, {
        email: copy.mail('bob@example.com'),
        phone: mobile.e164,
        phoneType: 'mobile',
        tags: ['vip', 'newsletter'],
      }),
    );
    expect(view(await profileBy('email', copy.mail('carol@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('carol@example.com'),
        phone: `+44207946${landline}`,
        phoneType: 'landline',
      }),
    );
  });

  it('quoted delimiters, doubled quotes and embedded line breaks; an unclosed quote rejects its line only', async () => {
    const copy = personalise(ingestFixture('quoted-multiline.csv'), { charset: 'utf-8' });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'quoted-multiline.csv'), copy.bytes);
    expect(record.counts).toEqual(counts({ rowsRead: 5, created: 4, rejected: 1 }));
    expect(record.ignoredColumns).toEqual(['notes']);
    expect(rejects).toEqual([
      {
        row: 4,
        line: 7,
        reason: 'unreadable record: unclosed quote: a quoted field never closes; the line is skipped',
        raw: `${copy.mail('grace@example.com')},"unclosed,`,
      },
    ]);
    expect(warnings).toEqual([]);
    const people = [
      ['dave@example.com', { firstName: 'Dave', lastName: 'Smith' }],
      ['eve@example.com', { firstName: 'Eve "Evie"', lastName: 'Adams' }],
      ['frank@example.com', { firstName: 'Frank', lastName: 'Jones' }],
      ['henry@example.com', { firstName: 'Henry' }],
    ] as const;
    for (const [email, names] of people) {
      expect(view(await profileBy('email', copy.mail(email)))).toEqual(
        imported(source, { email: copy.mail(email), ...names }),
      );
    }
    await noProfileBy('email', copy.mail('grace@example.com'));
  });

  it('gzip: detected by its magic bytes', async () => {
    const copy = personalise(ingestFixture('gzip.csv.gz'), { charset: 'utf-8', gzip: true });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'gzip.csv.gz'), copy.bytes);
    expect(record.detected).toMatchObject({ compression: 'gzip', delimiter: ',' });
    expect(record.counts).toEqual(counts({ rowsRead: 2, created: 2 }));
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    for (const [email, firstName] of [
      ['ivy@example.com', 'Ivy'],
      ['jack@example.com', 'Jack'],
    ] as const) {
      expect(view(await profileBy('email', copy.mail(email)))).toEqual(
        imported(source, { email: copy.mail(email), firstName }),
      );
    }
  });

  it('JSON Lines: aliases and nested attributes per line; a bad line and an array rejected in place', async () => {
    const mobile = ukMobile();
    const copy = personalise(ingestFixture('profiles.jsonl'), {
      charset: 'utf-8',
      replace: [['+447911123456', mobile.e164]],
    });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'profiles.jsonl'), copy.bytes);
    expect(record.detected).toMatchObject({ format: 'jsonl' });
    expect(record.counts).toEqual(counts({ rowsRead: 5, created: 3, rejected: 2 }));
    expect(rejects).toEqual([
      {
        row: 3,
        line: 3,
        reason: expect.stringMatching(/^unreadable record: not valid JSON: /),
        raw: 'this is not json',
      },
      {
        row: 4,
        line: 5,
        reason: 'unreadable record: not a JSON object (a JSON array)',
        raw: '["an","array"]',
      },
    ]);
    expect(warnings).toEqual([]);
    expect(view(await profileBy('email', copy.mail('kate@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('kate@example.com'),
        firstName: 'Kate',
        attributes: { tier: 'gold' },
      }),
    );
    expect(view(await profileBy('email', copy.mail('leo@example.com')))).toEqual(
      imported(source, { email: copy.mail('leo@example.com'), tags: ['a', 'b'], birthDate: '1992-02-29' }),
    );
    expect(view(await profileBy('phone', mobile.e164))).toEqual(
      imported(source, { phone: mobile.e164, phoneType: 'mobile', gender: 'female' }),
    );
  });

  it('the same person in four spellings: one profile, three rows merged', async () => {
    const { six, national, e164 } = ukMobile();
    const copy = personalise(ingestFixture('same-person.csv'), {
      charset: 'utf-8',
      replace: [
        ['07911 123456', national],
        ['+44 7911 123456', `+44 7911 ${six}`],
        ['0044 (0)7911-123-456', `0044 (0)7911-${six.slice(0, 3)}-${six.slice(3)}`],
        ['１２３４５６', fullWidth(six)],
      ],
    });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'same-person.csv'), copy.bytes);
    expect(record.counts).toEqual(counts({ rowsRead: 4, created: 1, merged: 3 }));
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    const email = copy.mail('mary.jones@example.com');
    const mary = await profileBy('email', email);
    expect(view(mary)).toEqual(
      imported(source, { email, phone: e164, phoneType: 'mobile', firstName: 'Mary', lastName: 'Jones' }),
    );
    expect((await profileBy('phone', national)).profileId).toBe(mary.profileId);
    expect((await profileBy('email', email.toUpperCase())).profileId).toBe(mary.profileId);
    expect(mary.version).toBe(1);
  });

  it('invalid emails and phones, missing identifiers: each reject names its field; typos are warnings', async () => {
    const mobile = ukMobile();
    const copy = personalise(ingestFixture('invalid-contacts.csv'), {
      charset: 'utf-8',
      replace: [
        ['07911 123456', mobile.national],
        ['C-7', 'C-7-{tag}'],
      ],
    });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'invalid-contacts.csv'), copy.bytes);
    expect(record.counts).toEqual(counts({ rowsRead: 6, created: 1, rejected: 5, warnings: 2 }));
    expect(record.rejectedByReason).toEqual({ email: 1, phone: 2, 'no identifier': 2 });
    expect(rejects).toEqual([
      {
        row: 1,
        line: 2,
        reason: 'email: is not a valid email address',
        raw: `not-an-email,${mobile.national},,Nora`,
      },
      {
        row: 2,
        line: 3,
        reason: 'phone: is not a valid phone number (read with default country GB)',
        raw: `${copy.mail('oscar@gmial.com')},12345,,Oscar`,
      },
      { row: 4, line: 5, reason: NO_IDENTIFIER, raw: ',,,Quinn Nobody' },
      { row: 5, line: 6, reason: NO_IDENTIFIER, raw: 'N/A,-,,Rita' },
      {
        row: 6,
        line: 7,
        reason: 'phone: 4.47911E+11 is a number a spreadsheet rounded; its digits are lost',
        raw: `,4.47911E+11,C-7-${copy.tag},Sam`,
      },
    ]);
    expect(warnings).toEqual([
      {
        row: 2,
        line: 3,
        warning: 'email: domain gmial.com looks like a typo of gmail.com (kept as written)',
      },
      {
        row: 3,
        line: 4,
        warning: 'email: domain hotmial.com looks like a typo of hotmail.com (kept as written)',
      },
    ]);
    expect(view(await profileBy('email', copy.mail('paul@hotmial.com')))).toEqual(
      imported(source, { email: copy.mail('paul@hotmial.com'), firstName: 'Paul' }),
    );
    await noProfileBy('phone', mobile.e164);
    await noProfileBy('email', copy.mail('oscar@gmial.com'));
    await noProfileBy('externalId', `C-7-${copy.tag}`);
  });

  it('formula cells: kept as text on the profiles, never evaluated, counted as warnings', async () => {
    const copy = personalise(ingestFixture('formulas.csv'), { charset: 'utf-8' });
    const { record, source, rejects, warnings, warningsCsv } = await drop(
      keyOf(copy, 'formulas.csv'),
      copy.bytes,
    );
    expect(record.detected).toMatchObject({ delimiter: ',' });
    expect(record.counts).toEqual(counts({ rowsRead: 3, created: 3, warnings: 3 }));
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([
      { row: 1, line: 2, warning: FORMULA_WARNING('firstName') },
      { row: 2, line: 3, warning: FORMULA_WARNING('lastName') },
      { row: 3, line: 4, warning: FORMULA_WARNING('city') },
    ]);
    expect(warningsCsv).toBe(
      'row,line,warning\n' +
        '1,2,"firstName: looks like a spreadsheet formula, kept as text"\n' +
        '2,3,"lastName: looks like a spreadsheet formula, kept as text"\n' +
        '3,4,"city: looks like a spreadsheet formula, kept as text"\n',
    );
    expect(view(await profileBy('email', copy.mail('tom@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('tom@example.com'),
        firstName: '=HYPERLINK("http://evil.example","click")',
        lastName: 'Tomlin',
        city: 'London',
      }),
    );
    expect(view(await profileBy('email', copy.mail('uma@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('uma@example.com'),
        firstName: 'Uma',
        lastName: "+cmd|' /C calc'!A0",
        city: 'Leeds',
      }),
    );
    expect(view(await profileBy('email', copy.mail('vic@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('vic@example.com'),
        firstName: 'Vic',
        lastName: 'Vance',
        city: '@SUM(1+1)',
      }),
    );
  });

  it('a header-less file read with header false and columnNames from its sidecar manifest', async () => {
    const mobile = ukMobile();
    const landline = freshDigits(4, '0');
    const copy = personalise(ingestFixture('headerless.csv'), {
      charset: 'utf-8',
      replace: [
        ['07911 123457', mobile.national],
        ['020 7946 0123', `020 7946 ${landline}`],
      ],
    });
    const { record, source, rejects, warnings } = await drop(keyOf(copy, 'headerless.csv'), copy.bytes, {
      header: false,
      columnNames: ['email', 'first name', 'phone'],
    });
    expect(record.manifest).toEqual({ header: false, columnNames: ['email', 'first name', 'phone'] });
    expect(record.detected).toMatchObject({ header: false });
    expect(record.counts).toEqual(counts({ rowsRead: 2, created: 2 }));
    expect(rejects).toEqual([]);
    expect(warnings).toEqual([]);
    expect(view(await profileBy('email', copy.mail('wendy@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('wendy@example.com'),
        phone: mobile.e164,
        phoneType: 'mobile',
        firstName: 'Wendy',
      }),
    );
    expect(view(await profileBy('email', copy.mail('xavier@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('xavier@example.com'),
        phone: `+44207946${landline}`,
        phoneType: 'landline',
        firstName: 'Xavier',
      }),
    );
  });
});

describe('the pipeline fixtures through the drop folder', () => {
  it('a sidecar manifest declares charset, delimiter, date format and column names', async () => {
    const de = freshDigits(8, '3');
    const copy = personalise(pipelineFixture('manifest-windows-1252.csv'), {
      charset: 'windows-1252',
      replace: [
        ['K-100', 'K-{tag}-100'],
        ['+49 151 11111111', `+49 151 ${de}`],
      ],
    });
    const id = (n: string) => `K-${copy.tag}-${n}`;
    const manifest = pipelineFixture('manifest-windows-1252.csv.manifest.json');
    const { record, source, rejects, warnings } = await drop(
      keyOf(copy, 'manifest-windows-1252.csv'),
      copy.bytes,
      manifest,
    );
    expect(record.manifest).toEqual(JSON.parse(manifest.toString('utf8')));
    expect(record.detected).toMatchObject({
      charset: { charset: 'windows-1252', source: 'manifest' },
      delimiter: ';',
    });
    expect(record.counts).toEqual(counts({ rowsRead: 4, created: 2, rejected: 2, warnings: 1 }));
    expect(record.ignoredColumns).toEqual(['Tel']);
    expect(rejects).toEqual([
      {
        row: 3,
        line: 4,
        reason: 'birthDate: 31/12/1990 is not a valid date in the declared format MM/DD/YYYY',
        raw: `${id('1003')};${copy.mail('bjoern@example.de')};Björn;Åkesson;31/12/1990;Malmö;;;`,
      },
      { row: 4, line: 5, reason: NO_IDENTIFIER, raw: ';;Otto;Ohneid;;;;+49 30 7654321;' },
    ]);
    expect(warnings).toEqual([{ row: 2, line: 3, warning: FORMULA_WARNING('attributes.note') }]);
    expect(view(await profileBy('externalId', id('1001')))).toEqual(
      imported(source, {
        externalId: id('1001'),
        email: copy.mail('joerg@example.de'),
        phone: `+49151${de}`,
        phoneType: 'mobile',
        firstName: 'Jörg',
        lastName: 'Müller-Lüdenscheidt',
        birthDate: '1990-05-03',
        city: 'Köln',
        attributes: { note: 'Stammkunde, zahlt bar | Rabatt 5 %' },
      }),
    );
    expect(view(await profileBy('externalId', id('1002')))).toEqual(
      imported(source, {
        externalId: id('1002'),
        email: copy.mail('renee@example.de'),
        firstName: 'Renée',
        lastName: 'Gößling',
        birthDate: '1985-12-31',
        city: 'Düsseldorf',
        attributes: { note: '=HYPERLINK("http://x","y")' },
      }),
    );
    await noProfileBy('externalId', id('1003'));
    await noProfileBy('phone', '+49 30 7654321');
  });

  it('a row whose email is one profile and phone another is rejected as a conflict; the rest update, merge or match', async () => {
    const mobile = ukMobile();
    const copy = personalise(pipelineFixture('conflict.csv'), {
      charset: 'utf-8',
      replace: [['07911 900001', mobile.national]],
    });
    const alex = copy.mail('conflict.alex@example.com');
    const dora = copy.mail('conflict.dora@example.com');
    const ids = {
      alex: `conflict-alex-${copy.tag}`,
      bea: `conflict-bea-${copy.tag}`,
      dora: `conflict-dora-${copy.tag}`,
    };
    for (const [id, body] of [
      [ids.alex, { email: alex, firstName: 'Alex' }],
      [ids.bea, { phone: mobile.e164, firstName: 'Bea' }],
      [ids.dora, { email: dora, firstName: 'Dora' }],
    ] as const) {
      const res = await api('PUT', `/profiles/${id}`, { body });
      expect(res.status, res.text).toBe(201);
    }

    const { record, rejects, warnings } = await drop(keyOf(copy, 'conflict.csv'), copy.bytes);
    expect(record.counts).toEqual(counts({ rowsRead: 5, updated: 2, merged: 1, unchanged: 1, rejected: 1 }));
    expect(record.rejectedByReason).toEqual({ conflict: 1 });
    expect(rejects).toEqual([
      {
        row: 1,
        line: 2,
        reason: `conflict: email belongs to profile ${ids.alex}, phone belongs to profile ${ids.bea}`,
        raw: `${alex},${mobile.national},Alex,`,
      },
    ]);
    expect(warnings).toEqual([]);

    const byApi = { kind: 'internal', source: 'api' };
    const a = await profileBy('email', alex);
    expect(a.profileId).toBe(ids.alex);
    expect(a.version).toBe(2);
    expect(view(a)).toEqual({
      email: alex,
      firstName: 'Alexandra',
      tags: [],
      attributes: {},
      consent: {},
      provenance: byApi,
    });
    const b = await profileBy('phone', mobile.e164);
    expect(b.profileId).toBe(ids.bea);
    expect(b.version).toBe(2);
    expect(view(b)).toEqual({
      phone: mobile.e164,
      phoneType: 'mobile',
      firstName: 'Bea',
      city: 'Bristol',
      tags: [],
      attributes: {},
      consent: {},
      provenance: byApi,
    });
    const d = await profileBy('email', dora);
    expect(d.profileId).toBe(ids.dora);
    expect(d.version).toBe(1);
    expect(view(d)).toEqual({
      email: dora,
      firstName: 'Dora',
      tags: [],
      attributes: {},
      consent: {},
      provenance: byApi,
    });
  });

  it('formula cells in rejected rows and reports: neutralised with a leading quote, never re-exported as formulas', async () => {
    const copy = personalise(pipelineFixture('formula-rejects.csv'), { charset: 'utf-8' });
    const { record, source, rejects, warnings, rejectsCsv, warningsCsv } = await drop(
      keyOf(copy, 'formula-rejects.csv'),
      copy.bytes,
    );
    expect(record.detected).toMatchObject({ delimiter: ',' });
    expect(record.counts).toEqual(counts({ rowsRead: 6, created: 1, rejected: 5, warnings: 2 }));
    const formulaEmail = 'email: is a spreadsheet formula, not an address';
    expect(rejects).toEqual([
      { row: 1, line: 2, reason: formulaEmail, raw: `'=HYPERLINK("http://x"),Eve,Evil,` },
      { row: 2, line: 3, reason: formulaEmail, raw: `'+cmd|' /C calc'!A0,Carl,Calc,` },
      { row: 3, line: 4, reason: formulaEmail, raw: `'@SUM(1+1),Sam,Sum,` },
      { row: 4, line: 5, reason: formulaEmail, raw: `'-2+3,Minnie,Minus,` },
      {
        row: 6,
        line: 7,
        reason: 'email: is not a valid email address',
        raw: 'not-an-email,"=HYPERLINK(""http://x"",""y"")",Both,',
      },
    ]);
    expect(rejectsCsv).toBe(
      'row,line,reason,raw\n' +
        `1,2,"${formulaEmail}","'=HYPERLINK(""http://x""),Eve,Evil,"\n` +
        `2,3,"${formulaEmail}","'+cmd|' /C calc'!A0,Carl,Calc,"\n` +
        `3,4,"${formulaEmail}","'@SUM(1+1),Sam,Sum,"\n` +
        `4,5,"${formulaEmail}","'-2+3,Minnie,Minus,"\n` +
        `6,7,email: is not a valid email address,"not-an-email,""=HYPERLINK(""""http://x"""",""""y"""")"",Both,"\n`,
    );
    expect(warnings).toEqual([
      { row: 5, line: 6, warning: FORMULA_WARNING('attributes.note') },
      { row: 6, line: 7, warning: FORMULA_WARNING('firstName') },
    ]);
    expect(warningsCsv).toBe(
      'row,line,warning\n' +
        '5,6,"attributes.note: looks like a spreadsheet formula, kept as text"\n' +
        '6,7,"firstName: looks like a spreadsheet formula, kept as text"\n',
    );
    expect(view(await profileBy('email', copy.mail('olga@example.com')))).toEqual(
      imported(source, {
        email: copy.mail('olga@example.com'),
        firstName: 'Olga',
        lastName: 'Ok',
        attributes: { note: '=HYPERLINK("http://x","y")' },
      }),
    );
  });
});
