/** A record as read from the text: the line it ends on, its raw text, and its cells or why not. */
export type TextRecord =
  | { readonly line: number; readonly raw: string; readonly cells: string[] }
  | { readonly line: number; readonly raw: string; readonly error: string };

const QUOTE = 34;
const LF = 10;
const CR = 13;
const INCOMPLETE = 0;
const UNCLOSED = 1;
const MAX_RAW_IN_ERROR = 1000;

interface Parsed {
  readonly cells: string[];
  /** Index after the record and its line break. */
  readonly end: number;
  /** Index of the record's line break (end of its raw text). */
  readonly rawEnd: number;
  /** Line breaks inside quoted fields. */
  readonly newlines: number;
  readonly terminated: boolean;
}

/**
 * A streaming CSV reader over decoded text (RFC 4180 plus what spreadsheets write): fields quoted
 * with `"` may hold the delimiter, `""` and line breaks; text after a closing quote is kept
 * literally; a quote inside an unquoted field is literal; CRLF, LF and CR all end records.
 *
 * A quote that never closes does not swallow the file: when a quoted field runs to the end of the
 * file, past `maxRecordChars`, or makes a multi-line record whose cell count differs from
 * `expectedCells`, the record's first line becomes an error record and reading resumes on the line
 * after it. Memory is bounded by `maxRecordChars` plus one chunk.
 */
export class CsvRecordParser {
  private buf = '';
  /** Line number on which `buf` starts. */
  private line = 1;
  private skippingLine = false;
  private skipLf = false;
  /**
   * Cells a record should have: set it (e.g. from the manifest's column names), else the first
   * non-blank record's count is taken. A multi-line record with another count is suspect.
   */
  expectedCells: number | undefined;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly maxRecordChars = 1 << 20,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(text: string, out: TextRecord[]): void {
    this.buf = this.buf.length > 0 ? this.buf + text : text;
    this.drain(false, out);
  }

  end(out: TextRecord[]): void {
    this.drain(true, out);
  }

  private drain(final: boolean, out: TextRecord[]): void {
    const buf = this.buf;
    const n = buf.length;
    let pos = 0;
    if (this.skipLf && n > 0) {
      this.skipLf = false;
      if (buf.charCodeAt(0) === LF) pos = 1;
    }
    if (this.skippingLine) {
      const eol = lineEnd(buf, 0);
      if (eol < 0) {
        this.buf = '';
        if (final) this.skippingLine = false;
        return;
      }
      this.skippingLine = false;
      pos = afterLineBreak(buf, eol);
    }
    while (pos < n) {
      const r = this.parseAt(buf, pos, final);
      if (r === INCOMPLETE) {
        if (n - pos <= this.maxRecordChars) break;
        pos = this.broken(buf, pos, final, out, `a record is longer than ${this.maxRecordChars} characters`);
        continue;
      }
      if (r === UNCLOSED) {
        pos = this.broken(buf, pos, final, out, 'a quoted field never closes');
        continue;
      }
      if (r.newlines > 0 && this.expectedCells !== undefined && r.cells.length !== this.expectedCells) {
        pos = this.broken(buf, pos, final, out, 'a quoted field does not close on this line');
        continue;
      }
      if (this.expectedCells === undefined && r.cells.some((c) => c.trim() !== '')) {
        this.expectedCells = r.cells.length;
      }
      out.push({ line: this.line + r.newlines, raw: buf.slice(pos, r.rawEnd), cells: r.cells });
      this.line += r.newlines + (r.terminated ? 1 : 0);
      pos = r.end;
    }
    this.buf = pos >= n ? '' : buf.slice(pos);
  }

  /** Reports the line at `pos` as unreadable and returns where reading resumes. */
  private broken(buf: string, pos: number, final: boolean, out: TextRecord[], why: string): number {
    const eol = lineEnd(buf, pos);
    const end = eol < 0 ? buf.length : eol;
    const raw =
      end - pos > MAX_RAW_IN_ERROR ? `${buf.slice(pos, pos + MAX_RAW_IN_ERROR)}…` : buf.slice(pos, end);
    out.push({ line: this.line, raw, error: `unclosed quote: ${why}; the line is skipped` });
    this.line++;
    if (eol < 0) {
      if (!final) this.skippingLine = true;
      return buf.length;
    }
    if (eol + 1 >= buf.length && buf.charCodeAt(eol) === CR && !final) {
      this.skipLf = true;
      return buf.length;
    }
    return afterLineBreak(buf, eol);
  }

  private parseAt(buf: string, start: number, final: boolean): Parsed | typeof INCOMPLETE | typeof UNCLOSED {
    const d = this.delimiter;
    const n = buf.length;
    const cells: string[] = [];
    let newlines = 0;
    let i = start;
    for (;;) {
      if (i < n && buf.charCodeAt(i) === QUOTE) {
        let value = '';
        let segment = i + 1;
        let j = segment;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) return final ? UNCLOSED : INCOMPLETE;
          for (let k = j; k < q; k++) {
            const c = buf.charCodeAt(k);
            if (c === LF || (c === CR && buf.charCodeAt(k + 1) !== LF)) newlines++;
          }
          if (q + 1 >= n && !final) return INCOMPLETE;
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(segment, q + 1);
            j = q + 2;
            segment = j;
            continue;
          }
          value += buf.slice(segment, q);
          i = q + 1;
          break;
        }
        let k = i;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === d || c === LF || c === CR) break;
          k++;
        }
        if (k > i) value += buf.slice(i, k);
        i = k;
        cells.push(value);
      } else {
        let k = i;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === d || c === LF || c === CR) break;
          k++;
        }
        cells.push(buf.slice(i, k));
        i = k;
      }
      if (i >= n) {
        if (!final) return INCOMPLETE;
        return { cells, end: n, rawEnd: n, newlines, terminated: false };
      }
      const c = buf.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) return INCOMPLETE;
        return {
          cells,
          end: buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1,
          rawEnd: i,
          newlines,
          terminated: true,
        };
      }
      return { cells, end: i + 1, rawEnd: i, newlines, terminated: true };
    }
  }
}

/** Index of the first CR or LF at or after `from`, or -1. */
export const lineEnd = (text: string, from: number): number => {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
  }
  return -1;
};

const afterLineBreak = (text: string, eol: number): number =>
  text.charCodeAt(eol) === CR && text.charCodeAt(eol + 1) === LF ? eol + 2 : eol + 1;

export interface TextLine {
  readonly line: number;
  readonly text: string;
  /** Set when the line was longer than the splitter's limit: `text` is its start. */
  readonly tooLong?: true;
}

/** Splits streamed text into numbered lines (CRLF, LF or CR), for line-based formats. */
export class LineSplitter {
  private buf = '';
  private line = 1;
  private skipping = false;

  constructor(private readonly maxLineChars = 1 << 20) {}

  push(text: string, out: TextLine[]): void {
    const buf = this.buf.length > 0 ? this.buf + text : text;
    let pos = 0;
    if (this.skipping) {
      const eol = lineEnd(buf, 0);
      if (eol < 0) return;
      this.skipping = false;
      pos = afterLineBreak(buf, eol);
      if (pos >= buf.length && buf.charCodeAt(eol) === CR) {
        this.buf = '';
        return;
      }
    }
    for (;;) {
      const eol = lineEnd(buf, pos);
      if (eol < 0) break;
      if (buf.charCodeAt(eol) === CR && eol + 1 >= buf.length) break;
      out.push({ line: this.line++, text: buf.slice(pos, eol) });
      pos = afterLineBreak(buf, eol);
    }
    if (buf.length - pos > this.maxLineChars && lineEnd(buf, pos) < 0) {
      out.push({ line: this.line++, text: `${buf.slice(pos, pos + MAX_RAW_IN_ERROR)}…`, tooLong: true });
      this.skipping = true;
      this.buf = '';
      return;
    }
    this.buf = buf.slice(pos);
  }

  end(out: TextLine[]): void {
    if (this.skipping) {
      this.buf = '';
      return;
    }
    const buf = this.buf;
    this.buf = '';
    if (buf.length === 0) return;
    if (buf.endsWith('\r')) out.push({ line: this.line++, text: buf.slice(0, -1) });
    else out.push({ line: this.line++, text: buf });
  }
}
