import type { Manifest } from '../ingest/manifest';

/** Where a row came from: data row number (header = 0), the line it ends on, and its raw text. */
export interface RowRef {
  readonly row: number;
  readonly line: number;
  readonly raw: string;
}

export type CleanResult<T> =
  | { readonly value: T; readonly warnings: readonly string[] }
  | { readonly reasons: readonly string[]; readonly warnings?: readonly string[] };

export type RowOutcome<C extends string> =
  | { readonly ref: RowRef; readonly outcome: C }
  | { readonly ref: RowRef; readonly outcome: 'rejected'; readonly reasons: readonly string[] };

export interface CleanContext {
  readonly manifest: Manifest;
  /** The import's source, for provenance (`drop-folder:<key>` unless the manifest names one). */
  readonly source: { readonly name: string; readonly kind: 'internal' | 'external' };
  /** When the import started: the time of every value it writes. */
  readonly now: string;
}

/**
 * What the import pipeline needs from a kind of file (profiles, transactions). The pipeline reads,
 * decodes and maps columns, counts, checkpoints and reports; the processor cleans and applies.
 */
export interface RowProcessor<T, C extends string> {
  /** Outcome counters besides `rejected`, in report order (e.g. created, updated, merged, unchanged). */
  readonly counters: readonly C[];
  /** Pure: one record (field name -> cell text, after column mapping) to a value, or why not. */
  clean(fields: Readonly<Record<string, string>>, context: CleanContext): CleanResult<T>;
  /**
   * Applies one chunk of cleaned rows, in file order, and says what became of each. Must be
   * idempotent: after a crash the pipeline applies the same chunk again, and the stored state must
   * end as if it had been applied once (the counts come from the first application's journal).
   */
  apply(rows: readonly { ref: RowRef; value: T }[], context: CleanContext): Promise<RowOutcome<C>[]>;
}
