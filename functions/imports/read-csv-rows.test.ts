import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CsvRow, readCsvRows } from './read-csv-rows';

const rows = async (text: string): Promise<CsvRow[]> => {
  const out: CsvRow[] = [];
  for await (const row of readCsvRows(Readable.from([Buffer.from(text)]))) out.push(row);
  return out;
};

describe('readCsvRows', () => {
  it('drops a UTF-8 BOM and keeps quoted delimiters and newlines in one field', async () => {
    const out = await rows('\uFEFFemail,city\r\n"a@b.co","Paris, ""FR"""\r\nc@d.co,"two\nlines"\r\n');
    expect(out).toEqual([
      { row: 0, line: 1, cells: ['email', 'city'] },
      { row: 1, line: 2, cells: ['a@b.co', 'Paris, "FR"'] },
      { row: 2, line: 4, cells: ['c@d.co', 'two\nlines'] },
    ]);
  });

  it('yields an unreadable record as an error row in its place instead of losing it', async () => {
    const out = await rows('email,city\na@b.co,x"y\nc@d.co,Rome\n');
    expect(out.map((r) => ('error' in r ? `error@${r.row}` : r.cells[0]))).toEqual([
      'email',
      'error@1',
      'c@d.co',
    ]);
  });
});
