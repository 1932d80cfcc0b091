import type { Manifest } from '../ingest/manifest';
import type { ImportApplied } from './row-processor';

export type ImportKind = 'profiles' | 'transactions';
export type ImportStatus = 'running' | 'completed' | 'failed';

/** Statuses after which an import is never worked on again (a redelivered notification finds it done). */
export const FINISHED_IMPORT_STATUSES: readonly ImportStatus[] = ['completed', 'failed'];

/** Counters: rowsRead, each outcome of the kind's processor, rejected, and warnings. */
export type ImportCounts = Record<string, number> & { rowsRead: number; rejected: number };

export interface ImportProgress {
  /** Data rows taken through the pipeline so far (also the resume point). */
  readonly rowsDone: number;
  readonly chunksDone: number;
  /** Raw bytes of the file read so far, for the time estimate. */
  readonly bytesRead: number;
  /** Function invocations that worked on the import (more than one: split, or resumed after a crash). */
  readonly invocations: number;
  readonly rowsPerSecond?: number;
  readonly secondsLeft?: number;
}

export interface ImportRecord extends ImportApplied {
  readonly importId: string;
  readonly kind: ImportKind;
  readonly status: ImportStatus;
  readonly file: { bucket: string; key: string; eTag: string; size: number };
  readonly manifest?: Manifest;
  /** What the reader found: charset, format, delimiter, compression. */
  readonly detected?: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
  readonly counts: ImportCounts;
  readonly progress: ImportProgress;
  /** Header columns matched to no field; their cells were ignored (or kept as attributes). */
  readonly ignoredColumns?: string[];
  /** Notes on the column mapping that did not stop the import (a manifest column not in the file). */
  readonly columnWarnings?: string[];
  readonly rejectedByReason?: Record<string, number>;
  readonly reports?: { rejects: string; warnings: string; summary: string };
  readonly failureReason?: string;
}

/** One chunk's outcome, journalled before its writes so a resumed import counts it once. */
export interface ChunkJournal {
  readonly chunk: number;
  readonly firstRow: number;
  readonly lastRow: number;
  readonly counts: Record<string, number>;
  readonly rejects: readonly { row: number; line: number; reasons: readonly string[]; raw: string }[];
  readonly warnings: readonly { row: number; line: number; warnings: readonly string[] }[];
}

export const emptyCounts = (counters: readonly string[]): ImportCounts => {
  const counts: Record<string, number> = { rowsRead: 0 };
  for (const c of counters) counts[c] = 0;
  counts.rejected = 0;
  counts.warnings = 0;
  return counts as ImportCounts;
};
