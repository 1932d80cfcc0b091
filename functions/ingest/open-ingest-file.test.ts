import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Manifest } from './manifest';
import { IngestFileError, type IngestRecord, openIngestFile } from './open-ingest-file';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/ingest');

const read = async (name: string, manifest?: Manifest) => {
  const file = await openIngestFile(createReadStream(join(FIXTURES, name)), manifest ? { manifest } : {});
  const records: IngestRecord[] = [];
  for await (const r of file.records) records.push(r);
  return { file, detected: file.detected, records };
};

const fromText = async (text: string | Buffer, options: Parameters<typeof openIngestFile>[1] = {}) => {
  const file = await openIngestFile(
    Readable.from([typeof text === 'string' ? Buffer.from(text) : text]),
    options,
  );
  const records: IngestRecord[] = [];
  for await (const r of file.records) records.push(r);
  return { detected: file.detected, records, columns: file.columns };
};

describe('openIngestFile on the fixtures', () => {
  it('UTF-8 with BOM: BOM stripped, accents and CJK intact', async () => {
    const { detected, records } = await read('utf8-bom.csv');
    expect(detected.charset).toEqual({
      charset: 'utf-8',
      source: 'bom',
      reason: 'byte-order mark of utf-8',
      bom: true,
      replacements: 0,
    });
    expect(detected.delimiter).toBe(',');
    expect(records).toEqual([
      {
        row: 0,
        line: 1,
        raw: 'Email,First Name,Last Name,City',
        cells: ['Email', 'First Name', 'Last Name', 'City'],
      },
      {
        row: 1,
        line: 2,
        raw: 'zoe@example.com,Zoë,Brontë,Zürich',
        cells: ['zoe@example.com', 'Zoë', 'Brontë', 'Zürich'],
      },
      { row: 2, line: 3, raw: 'li@example.cn,磊,李,北京', cells: ['li@example.cn', '磊', '李', '北京'] },
    ]);
  });

  it('UTF-16LE with BOM, tab-separated (Excel Unicode text)', async () => {
    const { detected, records } = await read('utf16le-excel.txt');
    expect(detected.charset.charset).toBe('utf-16le');
    expect(detected.charset.source).toBe('bom');
    expect(detected.format).toBe('csv');
    expect(detected.delimiter).toBe('\t');
    expect(records).toEqual([
      { row: 0, line: 1, raw: 'E-mail\tName\tMobile', cells: ['E-mail', 'Name', 'Mobile'] },
      {
        row: 1,
        line: 2,
        raw: 'anna@example.de\tAnna Müller\t+49 151 23456789',
        cells: ['anna@example.de', 'Anna Müller', '+49 151 23456789'],
      },
      {
        row: 2,
        line: 3,
        raw: 'wang@example.cn\t王小明\t+86 138 1234 5678',
        cells: ['wang@example.cn', '王小明', '+86 138 1234 5678'],
      },
    ]);
  });

  it('GBK without declaration: detected as GB18030, Chinese headers and names decoded', async () => {
    const { detected, records, file } = await read('gbk-chinese.csv');
    expect(detected.charset.charset).toBe('gb18030');
    expect(detected.charset.source).toBe('detected');
    expect(file.columns).toEqual(['姓名', '手机号', '邮箱', '生日', '城市']);
    expect(records.slice(1)).toEqual([
      {
        row: 1,
        line: 2,
        raw: '王小明,13812345678,wang@example.cn,1990年5月3日,上海',
        cells: ['王小明', '13812345678', 'wang@example.cn', '1990年5月3日', '上海'],
      },
      {
        row: 2,
        line: 3,
        raw: '欧阳娜娜,139 1234 5678,ouyang@example.cn,2000/12/01,北京',
        cells: ['欧阳娜娜', '139 1234 5678', 'ouyang@example.cn', '2000/12/01', '北京'],
      },
      {
        row: 3,
        line: 4,
        raw: '张伟,１３７１２３４５６７８,zhang@qq.con,1985-07-21,广州',
        cells: ['张伟', '１３７１２３４５６７８', 'zhang@qq.con', '1985-07-21', '广州'],
      },
    ]);
  });

  it('the same GBK bytes declared as gbk decode identically', async () => {
    const detected = await read('gbk-chinese.csv');
    const declared = await read('gbk-chinese.csv', { charset: 'gbk' } as Manifest);
    expect(declared.detected.charset.source).toBe('manifest');
    expect(declared.records).toEqual(detected.records);
  });

  it('Windows-1252 without declaration: accents and € decoded, semicolons found', async () => {
    const { detected, records } = await read('windows-1252.csv');
    expect(detected.charset.charset).toBe('windows-1252');
    expect(detected.delimiter).toBe(';');
    expect(detected.decimalSeparatorHint).toBe(',');
    expect(records.map((r) => ('cells' in r ? r.cells : r))).toEqual([
      ['email', 'name', 'city', 'balance'],
      ['helene@example.fr', 'Hélène Dupré', 'Orléans', '1.234,50 €'],
      ['jurgen@example.de', 'Jürgen Groß', 'München', '€ 99,90'],
      ['francois@example.be', 'François Côté', 'Liège', '12,00 €'],
    ]);
  });

  it('semicolon-delimited with decimal commas; the day-first order is detected and explained', async () => {
    const { detected, records } = await read('semicolon-decimal-comma.csv');
    expect(detected.delimiter).toBe(';');
    expect(detected.dateOrder).toBe('DMY');
    expect(detected.dateOrderReason).toBe('dates read as DD/MM/YYYY: 2 values have a number above 12 first');
    expect(records.map((r) => ('cells' in r ? r.cells : r))).toEqual([
      ['customer id', 'order date', 'amount', 'currency'],
      ['1001', '31/01/2024', '1.234,56', 'EUR'],
      ['1002', '05/02/2024', '12,5', 'EUR'],
      ['1003', '13/02/2024', '0,99', 'EUR'],
    ]);
  });

  it('pipe-delimited, with a trailing empty cell', async () => {
    const { detected, records } = await read('pipe.csv');
    expect(detected.delimiter).toBe('|');
    expect(records).toEqual([
      { row: 0, line: 1, raw: 'email|phone|tags', cells: ['email', 'phone', 'tags'] },
      {
        row: 1,
        line: 2,
        raw: 'bob@example.com|07911 123456|vip;newsletter',
        cells: ['bob@example.com', '07911 123456', 'vip;newsletter'],
      },
      {
        row: 2,
        line: 3,
        raw: 'carol@example.com|+44 20 7946 0958|',
        cells: ['carol@example.com', '+44 20 7946 0958', ''],
      },
    ]);
  });

  it('quoted fields with delimiters, doubled quotes and line breaks; an unclosed quote costs one line', async () => {
    const { records } = await read('quoted-multiline.csv');
    expect(records).toEqual([
      { row: 0, line: 1, raw: 'email,name,notes', cells: ['email', 'name', 'notes'] },
      {
        row: 1,
        line: 3,
        raw: '"dave@example.com","Smith, Dave","line one\r\nline two, with a comma"',
        cells: ['dave@example.com', 'Smith, Dave', 'line one\r\nline two, with a comma'],
      },
      {
        row: 2,
        line: 4,
        raw: '"eve@example.com","Eve ""Evie"" Adams",plain',
        cells: ['eve@example.com', 'Eve "Evie" Adams', 'plain'],
      },
      {
        row: 3,
        line: 6,
        raw: 'frank@example.com,"Frank\r\nJones",x',
        cells: ['frank@example.com', 'Frank\r\nJones', 'x'],
      },
      {
        row: 4,
        line: 7,
        raw: 'grace@example.com,"unclosed,',
        error: 'unclosed quote: a quoted field never closes; the line is skipped',
      },
      { row: 5, line: 8, raw: 'henry@example.com,Henry,ok', cells: ['henry@example.com', 'Henry', 'ok'] },
    ]);
  });

  it('gzip detected by its magic bytes', async () => {
    const { detected, records } = await read('gzip.csv.gz');
    expect(detected.compression).toBe('gzip');
    expect(detected.compressionReason).toBe('gzip magic bytes 1f 8b');
    expect(records.map((r) => ('cells' in r ? r.cells : r))).toEqual([
      ['email', 'first name'],
      ['ivy@example.com', 'Ivy'],
      ['jack@example.com', 'Jack'],
    ]);
  });

  it('JSON Lines: objects flattened, bad lines are error rows in place, blank lines skipped', async () => {
    const { detected, records } = await read('profiles.jsonl');
    expect(detected.format).toBe('jsonl');
    expect(detected.header).toBe(false);
    expect(detected.blankRecords).toBe(1);
    expect(records).toEqual([
      {
        row: 1,
        line: 1,
        raw: '{"email":"kate@example.com","firstName":"Kate","attributes":{"tier":"gold"}}',
        values: { email: 'kate@example.com', firstName: 'Kate', 'attributes.tier': 'gold' },
      },
      {
        row: 2,
        line: 2,
        raw: '{"E-mail":"leo@example.com","tags":["a","b"],"birthday":"1992-02-29"}',
        values: { 'E-mail': 'leo@example.com', tags: 'a; b', birthday: '1992-02-29' },
      },
      {
        row: 3,
        line: 3,
        raw: 'this is not json',
        error: expect.stringMatching(/^not valid JSON: /),
      },
      { row: 4, line: 5, raw: '["an","array"]', error: 'not a JSON object (a JSON array)' },
      {
        row: 5,
        line: 6,
        raw: '{"phone":"+447911123456","gender":"F"}',
        values: { phone: '+447911123456', gender: 'F' },
      },
    ]);
  });

  it('whitespace-separated columns (CDNOW): header line, CRLF, leading spaces', async () => {
    const { detected, records } = await read('cdnow-whitespace.txt');
    expect(detected.format).toBe('whitespace');
    expect(detected.headerLooksLikeData).toBe(false);
    expect(records).toEqual([
      {
        row: 0,
        line: 1,
        raw: 'customer_id  date  number_of_cds  dollar_value',
        cells: ['customer_id', 'date', 'number_of_cds', 'dollar_value'],
      },
      { row: 1, line: 2, raw: ' 00001 19970101  1   11.77', cells: ['00001', '19970101', '1', '11.77'] },
      { row: 2, line: 3, raw: ' 00002 19970112  1   12.00', cells: ['00002', '19970112', '1', '12.00'] },
      { row: 3, line: 4, raw: ' 00002 19970112  5   77.00', cells: ['00002', '19970112', '5', '77.00'] },
      { row: 4, line: 5, raw: ' 00003 19970102  2   20.76', cells: ['00003', '19970102', '2', '20.76'] },
    ]);
  });

  it('the CDNOW sample without a header: flagged as data unless the manifest says header false', async () => {
    const sample = join(import.meta.dirname, '../../test/fixtures/cdnow/CDNOW_sample.txt');
    const guessed = await openIngestFile(createReadStream(sample), { lookaheadRecords: 5 });
    expect(guessed.detected.format).toBe('whitespace');
    expect(guessed.detected.headerLooksLikeData).toBe(true);
    await guessed.records.return(undefined);
    const declared = await openIngestFile(createReadStream(sample), {
      manifest: {
        header: false,
        columnNames: ['customer id', 'id', 'date', 'number of cds', 'dollar value'],
      },
    });
    const first = await declared.records.next();
    expect(first.value).toEqual({
      row: 1,
      line: 1,
      raw: ' 00004 0001 19970101  2   29.33',
      cells: ['00004', '0001', '19970101', '2', '29.33'],
    });
    expect(declared.columns).toEqual(['customer id', 'id', 'date', 'number of cds', 'dollar value']);
    await declared.records.return(undefined);
  });

  it('a header-less file numbers its first record row 1 and names columns from the manifest', async () => {
    const { detected, records, file } = await read('headerless.csv', {
      header: false,
      columnNames: ['email', 'first name', 'phone'],
    });
    expect(detected.header).toBe(false);
    expect(file.columns).toEqual(['email', 'first name', 'phone']);
    expect(records).toEqual([
      {
        row: 1,
        line: 1,
        raw: 'wendy@example.com,Wendy,07911 123457',
        cells: ['wendy@example.com', 'Wendy', '07911 123457'],
      },
      {
        row: 2,
        line: 2,
        raw: 'xavier@example.com,Xavier,020 7946 0123',
        cells: ['xavier@example.com', 'Xavier', '020 7946 0123'],
      },
    ]);
  });
});

describe('openIngestFile edge cases', () => {
  it('finds the delimiter when quoted fields hold other candidates', async () => {
    const { detected } = await fromText('name;note\n"Smith, J";"a,b,c"\n"Doe, J";"d,e"\n');
    expect(detected.delimiter).toBe(';');
  });

  it('decides the charset at the first non-ASCII byte, however late', async () => {
    const ascii = 'email,name\n' + 'a@example.com,Ann\n'.repeat(10_000);
    const bytes = Buffer.concat([Buffer.from(ascii), Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x0a])]);
    const file = await openIngestFile(Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]));
    expect(file.detected.charset.source).toBe('ascii');
    let last: IngestRecord | undefined;
    for await (const r of file.records) last = r;
    expect(last).toEqual({ row: 10_001, line: 10_002, raw: 'José', cells: ['José'] });
    expect(file.detected.charset).toMatchObject({ charset: 'windows-1252', source: 'detected' });
  });

  it('reads a UTF-16LE file without BOM from its zero bytes', async () => {
    const { detected, records } = await fromText(Buffer.from('a\tb\r\n1\t2\r\n', 'utf16le'));
    expect(detected.charset.charset).toBe('utf-16le');
    expect(records.map((r) => ('cells' in r ? r.cells : r))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('counts undecodable bytes in a file declared UTF-8', async () => {
    const { detected, records } = await fromText(Buffer.from([0x61, 0x0a, 0x62, 0xff, 0x0a]), {
      manifest: { charset: 'utf-8' },
    });
    expect(detected.charset.replacements).toBe(1);
    expect(records[1]).toEqual({ row: 1, line: 2, raw: 'b\ufffd', cells: ['b\ufffd'] });
  });

  it('skips blank lines and rows of empty cells, keeping line numbers', async () => {
    const { detected, records } = await fromText('a,b\n\n;,\n,\n1,2\n   \n');
    expect(detected.blankRecords).toBe(3);
    expect(records.at(-1)).toEqual({ row: 2, line: 5, raw: '1,2', cells: ['1', '2'] });
  });

  it('handles CR-only line breaks and a last line without a break', async () => {
    const { records } = await fromText('a,b\r1,"x\ry"\r2,3');
    expect(records).toEqual([
      { row: 0, line: 1, raw: 'a,b', cells: ['a', 'b'] },
      { row: 1, line: 3, raw: '1,"x\ry"', cells: ['1', 'x\ry'] },
      { row: 2, line: 4, raw: '2,3', cells: ['2', '3'] },
    ]);
  });

  it('an unclosed quote near the start does not swallow the rest of the file', async () => {
    const text = `a,b\n1,"oops\n${'2,3\n'.repeat(5000)}`;
    const { records } = await fromText(text);
    expect(records).toHaveLength(5002);
    expect(records[1]).toEqual({
      row: 1,
      line: 2,
      raw: '1,"oops',
      error: 'unclosed quote: a quoted field never closes; the line is skipped',
    });
    expect(records[5001]).toEqual({ row: 5001, line: 5002, raw: '2,3', cells: ['2', '3'] });
  });

  it('a record longer than the limit becomes an error and reading goes on', async () => {
    const { records } = await fromText(`a\n"${'x'.repeat(5000)}\nb\n`, { maxRecordChars: 1000 });
    expect(records[1]).toMatchObject({ row: 1, line: 2, error: expect.stringMatching(/^unclosed quote/) });
    expect(records[2]).toEqual({ row: 2, line: 3, raw: 'b', cells: ['b'] });
  });

  it('refuses workbooks and corrupt gzip with a clear reason', async () => {
    await expect(fromText(Buffer.from('PK\u0003\u0004rest-of-zip'))).rejects.toThrow(
      new IngestFileError('the file is a ZIP archive (an .xlsx workbook?): export it as CSV'),
    );
    const broken = gzipSync(Buffer.from('a,b\n'.repeat(1000))).subarray(0, 40);
    await expect(fromText(broken)).rejects.toThrow(/^the gzip data cannot be read: /);
  });

  it('honours declared format, delimiter and compression', async () => {
    const { detected, records } = await fromText(gzipSync(Buffer.from('x;y\n1;2\n')), {
      manifest: { compression: 'gzip', delimiter: ';' },
    });
    expect(detected).toMatchObject({ compression: 'gzip', format: 'csv', delimiter: ';' });
    expect(records[1]).toEqual({ row: 1, line: 2, raw: '1;2', cells: ['1', '2'] });
  });

  it('streams: the first record comes after reading a bounded part of a large input', async () => {
    let pulled = 0;
    const line = 'someone@example.com,Some One,07911 123456\n';
    const input = (async function* () {
      yield Buffer.from('email,name,phone\n');
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield Buffer.from(line.repeat(10));
      }
    })();
    const file = await openIngestFile(input, { lookaheadRecords: 100 });
    const first = await file.records.next();
    expect(first.value).toMatchObject({ row: 0 });
    expect(pulled).toBeLessThan(500);
    await file.records.return(undefined);
  });
});

describe('a stray quote that closes much later', () => {
  it('costs its own line only when the record it makes has the wrong cell count', async () => {
    const { records } = await fromText('a,b\n1,"x\n2,3\n4",5,6\n7,8\n');
    expect(records).toEqual([
      { row: 0, line: 1, raw: 'a,b', cells: ['a', 'b'] },
      {
        row: 1,
        line: 2,
        raw: '1,"x',
        error: 'unclosed quote: a quoted field does not close on this line; the line is skipped',
      },
      { row: 2, line: 3, raw: '2,3', cells: ['2', '3'] },
      { row: 3, line: 4, raw: '4",5,6', cells: ['4"', '5', '6'] },
      { row: 4, line: 5, raw: '7,8', cells: ['7', '8'] },
    ]);
  });

  it('is indistinguishable from a real multi-line field when the cell count fits (a known limit)', async () => {
    const { records } = await fromText('a,b\n1,"x\n2,y"\n3,4\n');
    expect(records[1]).toEqual({ row: 1, line: 3, raw: '1,"x\n2,y"', cells: ['1', 'x\n2,y'] });
  });
});

describe('chunk boundaries', () => {
  const inChunks = (bytes: Buffer, size: number) =>
    Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      })(),
    );

  it.each([
    'gbk-chinese.csv',
    'utf16le-excel.txt',
    'quoted-multiline.csv',
    'windows-1252.csv',
    'profiles.jsonl',
  ])('%s parses the same from 1-, 2- and 3-byte chunks', async (name) => {
    const whole = await read(name);
    const bytes = await import('node:fs/promises').then((fs) => fs.readFile(join(FIXTURES, name)));
    for (const size of [1, 2, 3]) {
      const file = await openIngestFile(inChunks(bytes, size));
      const records: IngestRecord[] = [];
      for await (const r of file.records) records.push(r);
      expect(records).toEqual(whole.records);
      expect(file.detected.charset.charset).toBe(whole.detected.charset.charset);
    }
  });
});
