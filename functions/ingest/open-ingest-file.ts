import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { type DateOrder, DateOrderDetector } from './clean-date';
import type { DecimalSeparator } from './clean-number';
import { CsvRecordParser, LineSplitter, type TextLine, type TextRecord } from './csv-record-parser';
import { type CharsetReport, decodeText } from './decode-text';
import { type Delimiter, detectDelimiter, detectFormat, type Format } from './detect-format';
import type { Manifest } from './manifest';

/**
 * One record of a file: `row` is the data row number (the header is row 0), `line` the file line it
 * ends on, `raw` its text as in the file (decoded, without the line break). Delimited and whitespace
 * files give `cells` in file order; JSON Lines give `values` (key -> text; nested objects flattened
 * one level as `a.b`, arrays of scalars joined with `; `). A record that cannot be read is an `error`
 * in its place: nothing is dropped silently (only blank lines, which hold nothing).
 */
export type IngestRecord =
  | { readonly row: number; readonly line: number; readonly raw: string; readonly cells: string[] }
  | {
      readonly row: number;
      readonly line: number;
      readonly raw: string;
      readonly values: Record<string, string>;
    }
  | { readonly row: number; readonly line: number; readonly raw: string; readonly error: string };

/** What was found out about a file, with the reason for each choice (for the import report). */
export interface IngestDetected {
  compression: 'gzip' | 'none';
  compressionReason: string;
  /** Final once `records` is exhausted: an ASCII start defers the charset choice to the first non-ASCII byte. */
  charset: CharsetReport;
  format: Format;
  formatReason: string;
  delimiter?: Delimiter;
  /** Whether the file's first record is a header row. */
  header: boolean;
  /** Set when a header row looks like data (all numbers or dates): the manifest should say `header: false`. */
  headerLooksLikeData: boolean;
  /** D/M order proved by the first records' dates (values with a number above 12), if any. */
  dateOrder?: DateOrder;
  dateOrderReason?: string;
  /** Likely decimal separator (`,` in semicolon-delimited files): breaks ties in ambiguous numbers. */
  decimalSeparatorHint?: DecimalSeparator;
  /** Blank lines and records of empty cells skipped (they hold nothing). */
  blankRecords: number;
}

export interface IngestFile {
  readonly detected: IngestDetected;
  /** Column names: the header row's cells or the manifest's `columnNames`; undefined for JSON Lines. */
  readonly columns?: readonly string[];
  /** Every record, the header (row 0) included, in file order. Iterate once. */
  readonly records: AsyncGenerator<IngestRecord>;
}

export interface OpenIngestOptions {
  readonly manifest?: Manifest;
  /** Records read ahead (and held) to detect the date order before the first is returned. Default 1000. */
  readonly lookaheadRecords?: number;
  /** Longest record accepted, in characters; longer ones are errors. Default 1 MiB. */
  readonly maxRecordChars?: number;
}

/** The file as a whole cannot be read (a workbook instead of text, corrupt gzip). */
export class IngestFileError extends Error {
  override readonly name = 'IngestFileError';
}

const SAMPLE_CHARS = 64 * 1024;
const WHITESPACE = /[ \t]+/;
const LOOKS_LIKE_DATA = /^[\d\s.,:/+\-$€£¥]*\d[\d\s.,:/+\-$€£¥]*$/;

const asBytes = async function* (input: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.length > 0) yield bytes;
  }
};

const flatten = (
  value: Record<string, unknown>,
  prefix: string,
  out: Record<string, string>,
  depth: number,
) => {
  for (const key of Object.keys(value)) {
    const v = value[key];
    const name = prefix ? `${prefix}.${key}` : key;
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    else if (Array.isArray(v)) {
      out[name] = v.every((x) => x === null || typeof x !== 'object') ? v.join('; ') : JSON.stringify(v);
    } else if (typeof v === 'object' && depth === 0) flatten(v as Record<string, unknown>, name, out, 1);
    else out[name] = JSON.stringify(v);
  }
};

/** One JSON Lines line: its values, or why it is not a record. */
export const parseJsonLine = (text: string): { values: Record<string, string> } | { error: string } => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      error: `not a JSON object (a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`,
    };
  }
  const values: Record<string, string> = {};
  flatten(value as Record<string, unknown>, '', values, 0);
  return { values };
};

/** Decompresses when the manifest says gzip or the bytes start with the gzip magic 1f 8b. */
const decompressed = async (
  input: AsyncIterable<Uint8Array | string>,
  manifest: Manifest | undefined,
  detected: Pick<IngestDetected, 'compression' | 'compressionReason'>,
): Promise<AsyncIterable<Uint8Array>> => {
  const iterator = asBytes(input)[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let length = 0;
  while (length < 8) {
    const next = await iterator.next();
    if (next.done) break;
    first.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(first);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new IngestFileError('the file is a ZIP archive (an .xlsx workbook?): export it as CSV');
  }
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new IngestFileError('the file is an Excel 97-2003 workbook (.xls): export it as CSV');
  }
  const replay = async function* () {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  };
  const magic = head[0] === 0x1f && head[1] === 0x8b;
  const gzip = manifest?.compression === 'gzip' || (manifest?.compression !== 'none' && magic);
  detected.compression = gzip ? 'gzip' : 'none';
  detected.compressionReason =
    manifest?.compression !== undefined
      ? `declared ${manifest.compression}`
      : magic
        ? 'gzip magic bytes 1f 8b'
        : 'no gzip magic bytes';
  if (!gzip) return replay();
  const gunzip = createGunzip();
  const done = pipeline(Readable.from(replay()), gunzip).catch(() => undefined);
  return (async function* () {
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      throw new IngestFileError(`the gzip data cannot be read: ${(error as Error).message}`);
    } finally {
      gunzip.destroy();
      await done;
    }
  })();
};

/**
 * Opens a file for import: decompresses, decodes and parses it as a stream, in bounded memory.
 * Detection order: compression (manifest, magic bytes); charset (manifest, BOM, UTF-16 zero bytes,
 * else decided at the first non-ASCII byte: UTF-8, GB18030 or Windows-1252); format and delimiter
 * (manifest, else from the first 64 KB); date order (from the first `lookaheadRecords` records).
 * Resolves once the header and the look-ahead are read; throws `IngestFileError` for files that are
 * not text at all, and `records` throws it for gzip data that breaks midway.
 */
export const openIngestFile = async (
  input: AsyncIterable<Uint8Array | string>,
  options: OpenIngestOptions = {},
): Promise<IngestFile> => {
  const { manifest } = options;
  const detected: IngestDetected = {
    compression: 'none',
    compressionReason: '',
    charset: {
      charset: 'utf-8',
      source: 'ascii',
      reason: 'only ASCII so far: read as UTF-8',
      bom: false,
      replacements: 0,
    },
    format: 'csv',
    formatReason: '',
    header: true,
    headerLooksLikeData: false,
    blankRecords: 0,
  };
  const bytes = await decompressed(input, manifest, detected);
  const text = decodeText(bytes, manifest?.charset, detected.charset)[Symbol.asyncIterator]();

  let sample = '';
  let ended = false;
  while (sample.length < SAMPLE_CHARS) {
    const next = await text.next();
    if (next.done) {
      ended = true;
      break;
    }
    sample += next.value;
  }
  if (manifest?.format || manifest?.delimiter) {
    detected.format = manifest.format ?? 'csv';
    detected.formatReason = manifest.format ? `declared ${manifest.format}` : 'a delimiter is declared';
    if (detected.format === 'csv') {
      detected.delimiter = manifest.delimiter ?? detectDelimiter(sample, ended)?.delimiter ?? ',';
    }
  } else {
    const guess = detectFormat(sample, ended);
    detected.format = guess.format;
    detected.formatReason = guess.reason;
    if (guess.delimiter) detected.delimiter = guess.delimiter;
  }
  if (detected.delimiter === ';') detected.decimalSeparatorHint = ',';
  detected.header = detected.format !== 'jsonl' && manifest?.header !== false;

  const chunks = async function* () {
    if (sample) yield sample;
    if (ended) return;
    for (;;) {
      const next = await text.next();
      if (next.done) return;
      yield next.value;
    }
  };

  const columnNames = manifest?.header === false ? manifest.columnNames : undefined;
  type Unnumbered =
    | TextRecord
    | { readonly line: number; readonly raw: string; readonly values: Record<string, string> };
  const textRecords = async function* (): AsyncGenerator<Unnumbered> {
    if (detected.format === 'csv') {
      const parser = new CsvRecordParser(detected.delimiter ?? ',', options.maxRecordChars);
      if (columnNames) parser.expectedCells = columnNames.length;
      const out: TextRecord[] = [];
      const flush = function* () {
        for (const record of out) {
          if ('cells' in record && record.cells.every((c) => c.trim() === '')) {
            detected.blankRecords++;
            continue;
          }
          if (parser.expectedCells === undefined && 'cells' in record)
            parser.expectedCells = record.cells.length;
          yield record;
        }
        out.length = 0;
      };
      for await (const chunk of chunks()) {
        parser.push(chunk, out);
        yield* flush();
      }
      parser.end(out);
      yield* flush();
      return;
    }
    const splitter = new LineSplitter(options.maxRecordChars);
    const out: TextLine[] = [];
    const flush = function* () {
      for (const line of out) {
        const trimmed = line.text.trim();
        if (trimmed === '') {
          detected.blankRecords++;
          continue;
        }
        if (line.tooLong) {
          yield { line: line.line, raw: line.text, error: 'the line is too long' };
          continue;
        }
        if (detected.format === 'whitespace') {
          yield { line: line.line, raw: line.text, cells: trimmed.split(WHITESPACE) };
          continue;
        }
        const parsed = parseJsonLine(trimmed);
        yield 'values' in parsed
          ? { line: line.line, raw: line.text, values: parsed.values }
          : { line: line.line, raw: line.text, error: parsed.error };
      }
      out.length = 0;
    };
    for await (const chunk of chunks()) {
      splitter.push(chunk, out);
      yield* flush();
    }
    splitter.end(out);
    yield* flush();
  };

  const numbered = async function* (): AsyncGenerator<IngestRecord> {
    let row = detected.header ? 0 : 1;
    for await (const r of textRecords()) {
      if ('error' in r) yield { row: row++, line: r.line, raw: r.raw, error: r.error };
      else if ('cells' in r) yield { row: row++, line: r.line, raw: r.raw, cells: r.cells };
      else yield { row: row++, line: r.line, raw: r.raw, values: r.values };
    }
  };

  const source = numbered();
  const ahead: IngestRecord[] = [];
  const dates = new DateOrderDetector();
  const limit = Math.max(1, options.lookaheadRecords ?? 1000);
  let exhausted = false;
  while (ahead.length < limit) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const record = next.value;
    ahead.push(record);
    if (record.row === 0) continue;
    if ('cells' in record) for (const cell of record.cells) dates.observe(cell);
    else if ('values' in record) for (const key in record.values) dates.observe(record.values[key]!);
  }
  if (dates.order) detected.dateOrder = dates.order;
  if (dates.explanation) detected.dateOrderReason = dates.explanation;

  let columns: readonly string[] | undefined = columnNames;
  const first = ahead[0];
  if (detected.header && first?.row === 0 && 'cells' in first) {
    columns = first.cells;
    detected.headerLooksLikeData =
      first.cells.length > 0 && first.cells.every((c) => LOOKS_LIKE_DATA.test(c));
  }

  const records = (async function* () {
    yield* ahead;
    ahead.length = 0;
    if (exhausted) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  return columns ? { detected, columns, records } : { detected, records };
};
