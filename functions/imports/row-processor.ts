import type { Manifest } from '../ingest/manifest';
import type { CleaningHints } from './record-source';

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
  readonly importId: string;
  readonly manifest: Manifest;
  /** Country for phone numbers without a country code (the manifest's, else the setting). */
  readonly defaultCountry: string;
  /** The import's source, for provenance (`drop-folder:<key>` unless the manifest names one). */
  readonly source: { readonly name: string; readonly kind: 'internal' | 'external' };
  /** When the import started: the time of every value it writes, stable across invocations. */
  readonly now: string;
  /** What reading the file proved (date order, decimal comma), for cleaning ambiguous values. */
  readonly detected?: CleaningHints;
}

/** What an import gave every row it imported, beyond the rows' own values (profile lists). */
export interface ImportApplied {
  /** Tags added to every imported row: the manifest's, and the list tag of its segment. */
  readonly appliedTags?: string[];
  /** The static segment the rows joined. */
  readonly segment?: { readonly segmentId: string; readonly name: string };
}

/** A kind's work before the first row: what it applies to every row, or why the import fails. */
export type BeginResult = { readonly failureReason: string } | { readonly applied: ImportApplied };

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
   * Plans one chunk of cleaned rows, in file order: reads what it needs, decides what becomes of
   * each row, and returns those outcomes with the writes still to do. The pipeline journals the
   * outcomes first and then calls `commit`, so a chunk interrupted by a crash is counted once.
   * Preparing and committing the same chunk again (after a crash, on the state the first attempt
   * left) must end in the same stored state: writes are idempotent merges or keyed puts.
   */
  prepare(rows: readonly { ref: RowRef; value: T }[], context: CleanContext): Promise<PreparedChunk<C>>;
  /**
   * Optional, before the first row of every invocation (so a resumed import calls it again: it
   * must be idempotent): checks the manifest against the kind and sets up what every row joins.
   * A failure reason fails the import before any row is read.
   */
  begin?(context: CleanContext, file: { readonly key: string }): Promise<BeginResult>;
}

export interface PreparedChunk<C extends string> {
  readonly outcomes: readonly RowOutcome<C>[];
  commit(): Promise<void>;
}
