import type { Readable } from 'node:stream';
import type { Manifest } from '../ingest/manifest';
import type { ImportKind } from './import-record';
import { planColumns } from './profile-columns';
import { readCsvRows } from './read-csv-rows';

/** One record of a file: data row number (header = 0), the line it ends on, its raw text. */
export type SourceRecord =
  | { readonly row: number; readonly line: number; readonly raw: string; readonly cells: readonly string[] }
  | { readonly row: number; readonly line: number; readonly raw: string; readonly error: string };

export interface RecordSource {
  /** What the reader found (charset, format, delimiter, compression, header). */
  readonly detected: () => Readonly<Record<string, string | boolean>>;
  /** The header (row 0) first, unless the file has none, then every data row in order. */
  readonly records: AsyncIterable<SourceRecord>;
}

export interface ColumnMapping {
  /** Per column position: the field it fills (`email`, `attributes.size` ...) or undefined. */
  readonly fields: readonly (string | undefined)[];
  readonly ignored: readonly string[];
  /** Problems that make the file unreadable (a field named twice). */
  readonly errors: readonly string[];
}

/**
 * How the pipeline reads files and maps columns. The default reads UTF-8 CSV; the ingest library
 * (charsets, formats, aliases) plugs in here.
 */
export interface FileReading {
  open(input: Readable, manifest: Manifest, kind: ImportKind): RecordSource;
  mapColumns(header: readonly string[], manifest: Manifest, kind: ImportKind): ColumnMapping;
  /** Makes a cell safe to write back into a CSV report (no formula). */
  safeCell(value: string): string;
}

export const basicCsvReading: FileReading = {
  open: (input) => ({
    detected: () => ({ format: 'csv', charset: 'utf-8', delimiter: ',' }),
    records: (async function* () {
      for await (const r of readCsvRows(input)) {
        yield 'error' in r
          ? { row: r.row, line: r.line, raw: '', error: r.error }
          : { row: r.row, line: r.line, raw: r.cells.join(','), cells: r.cells };
      }
    })(),
  }),
  mapColumns: (header, manifest) => {
    const renamed = header.map((h) => manifest.columns?.[h] ?? h);
    const plan = planColumns(renamed);
    return {
      fields: plan.columns.map((c) =>
        !c ? undefined : 'column' in c ? c.column : `attributes.${c.attribute}`,
      ),
      ignored: plan.ignored,
      errors: plan.errors,
    };
  },
  safeCell: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value),
};
