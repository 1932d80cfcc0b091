export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export const emptyCounts = (): ImportCounts => ({
  rowsRead: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
});

export type ImportStatus = 'running' | 'completed' | 'failed';

export interface ImportRecord {
  readonly importId: string;
  readonly status: ImportStatus;
  readonly file: { bucket: string; key: string; eTag: string; size: number };
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly counts: ImportCounts;
  /** Header columns the importer does not know; their cells were ignored. */
  readonly ignoredColumns?: string[];
  readonly reports?: { rejects: string; summary: string };
  readonly failureReason?: string;
}
