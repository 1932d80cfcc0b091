import { CsvRecordParser, type TextRecord } from './csv-record-parser';
import type { FORMATS } from './manifest';

export type Format = (typeof FORMATS)[number];
export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

const SAMPLE_RECORDS = 50;
const WHITESPACE = /[ \t]+/;

interface Consistency {
  /** Most frequent cell count. */
  readonly cells: number;
  /** Share of records with that count. */
  readonly share: number;
}

const consistency = (counts: readonly number[]): Consistency => {
  if (counts.length === 0) return { cells: 0, share: 0 };
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  let cells = 0;
  let best = 0;
  for (const [c, f] of freq) {
    if (f > best || (f === best && c > cells)) {
      cells = c;
      best = f;
    }
  }
  return { cells, share: best / counts.length };
};

const isBlankRecord = (r: TextRecord) => 'cells' in r && r.cells.every((c) => c.trim() === '');

/** Cell counts of the first records of `sample` read with `delimiter` (quotes respected). */
const cellCounts = (sample: string, delimiter: Delimiter, final: boolean): number[] => {
  const parser = new CsvRecordParser(delimiter);
  const out: TextRecord[] = [];
  parser.push(sample, out);
  if (final) parser.end(out);
  return out
    .filter((r) => !isBlankRecord(r))
    .slice(0, SAMPLE_RECORDS)
    .map((r) => ('cells' in r ? r.cells.length : -1));
};

export interface DelimiterGuess {
  readonly delimiter: Delimiter;
  /** Share of the first records with the most frequent cell count. */
  readonly share: number;
  readonly reason: string;
}

/**
 * The delimiter of a CSV sample: the candidate (`,` `;` tab `|`) that splits the first records
 * (quotes respected, so delimiters inside quoted fields do not count) into the same number of cells,
 * two or more, most consistently; ties go to more cells, then to the order above. Undefined when no
 * candidate splits the records.
 */
export const detectDelimiter = (sample: string, final: boolean): DelimiterGuess | undefined => {
  let best: { delimiter: Delimiter; c: Consistency } | undefined;
  for (const delimiter of DELIMITERS) {
    const c = consistency(cellCounts(sample, delimiter, final));
    if (c.cells < 2) continue;
    if (!best || c.share > best.c.share || (c.share === best.c.share && c.cells > best.c.cells)) {
      best = { delimiter, c };
    }
  }
  if (!best) return undefined;
  const name = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[best.delimiter];
  return {
    delimiter: best.delimiter,
    share: best.c.share,
    reason: `${name}: ${Math.round(best.c.share * 100)}% of the first records have ${best.c.cells} cells`,
  };
};

export interface FormatGuess {
  readonly format: Format;
  readonly delimiter?: Delimiter;
  readonly reason: string;
}

const firstLines = (sample: string, final: boolean): string[] => {
  const lines = sample.split(/\r\n|\n|\r/);
  if (!final) lines.pop();
  return lines.filter((l) => l.trim() !== '').slice(0, SAMPLE_RECORDS);
};

/**
 * The format of a text sample (the start of the file): JSON Lines when the first line is a JSON
 * object; CSV with the delimiter `detectDelimiter` finds; whitespace-separated columns when no
 * delimiter splits the records but runs of spaces do, consistently (the CDNOW layout); else CSV with
 * one column.
 */
export const detectFormat = (sample: string, final: boolean): FormatGuess => {
  const lines = firstLines(sample, final);
  const first = lines[0]?.trim() ?? '';
  if (first.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(first);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { format: 'jsonl', reason: 'the first line is a JSON object' };
      }
    } catch {
      // not JSON: read as CSV below
    }
  }
  const delimited = detectDelimiter(sample, final);
  const spaced = consistency(lines.map((l) => l.trim().split(WHITESPACE).length));
  if (spaced.cells >= 2 && spaced.share >= 0.9) {
    if (!delimited || delimited.share < 0.8) {
      return {
        format: 'whitespace',
        reason: `no delimiter splits the records; runs of spaces split ${Math.round(spaced.share * 100)}% of the first lines into ${spaced.cells} columns`,
      };
    }
  }
  if (delimited) return { format: 'csv', delimiter: delimited.delimiter, reason: delimited.reason };
  return { format: 'csv', delimiter: ',', reason: 'no delimiter found: one column' };
};
