import type { Readable } from 'node:stream';
import type { Manifest } from '../ingest/manifest';
import type { ImportKind } from './import-record';

/** One record of a file: data row number (header = 0), the line it ends on, its raw text. */
export type SourceRecord =
  | { readonly row: number; readonly line: number; readonly raw: string; readonly cells: readonly string[] }
  /** JSON Lines: the record's own keys (flattened) and values as text. */
  | {
      readonly row: number;
      readonly line: number;
      readonly raw: string;
      readonly values: Readonly<Record<string, string>>;
    }
  | { readonly row: number; readonly line: number; readonly raw: string; readonly error: string };

/** Facts about the file that cleaning uses (the date order proved by the data, a decimal-comma hint). */
export interface CleaningHints {
  readonly dateOrder?: 'DMY' | 'MDY';
  readonly decimalSeparatorHint?: '.' | ',';
}

export interface RecordSource {
  /** Column names (header row or the manifest's columnNames); undefined when records carry their own keys. */
  readonly columns?: readonly string[];
  /** What the reader found, with reasons (final once the records are exhausted). */
  readonly detected: () => Readonly<Record<string, unknown>>;
  readonly hints: () => CleaningHints;
  /** Every record in file order, the header (row 0) included when there is one. */
  readonly records: AsyncIterable<SourceRecord>;
}

export interface ColumnMapping {
  /** Per column position: the field it fills (`email`, `attributes.size` ...) or undefined. */
  readonly fields: readonly (string | undefined)[];
  readonly ignored: readonly string[];
  /** Problems that make the file unreadable (a field named twice, a bad manifest mapping). */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** How the pipeline reads files, maps columns to fields, and writes cells back into reports. */
export interface FileReading {
  open(input: Readable, manifest: Manifest, kind: ImportKind): Promise<RecordSource>;
  mapColumns(columns: readonly string[], manifest: Manifest, kind: ImportKind): ColumnMapping;
  /** A report field: formula cells neutralised, quoted when needed. */
  csvField(value: string | number): string;
}
