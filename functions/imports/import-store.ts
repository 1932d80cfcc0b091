import type { ChunkJournal, ImportProgress, ImportRecord } from './import-record';

export type ClaimResult =
  /** This invocation owns the import now: new, resumed after a crash, or a continuation. */
  | { readonly outcome: 'claimed'; readonly record: ImportRecord }
  /** It finished already: a redelivered notification. */
  | { readonly outcome: 'done'; readonly record: ImportRecord }
  /** Another invocation holds the lease right now. */
  | { readonly outcome: 'busy' };

export interface ImportStore {
  /**
   * Claims the import for `leaseMs`: creates it from `fresh` if it is new, or takes it over when
   * the lease of its last owner ran out (or was released). The at-least-once S3 notification
   * becomes exactly one import.
   */
  claim(fresh: ImportRecord, leaseMs: number, owner: string): Promise<ClaimResult>;
  /** Journals a chunk unless already journalled; returns the journal that counts. */
  journal(importId: string, entry: ChunkJournal): Promise<ChunkJournal>;
  journals(importId: string): Promise<ChunkJournal[]>;
  /** Records progress while still holding the lease (false: the lease was lost). */
  progress(
    importId: string,
    owner: string,
    progress: ImportProgress,
    counts: ImportRecord['counts'],
    leaseMs: number,
  ): Promise<boolean>;
  /** Gives the lease up at once so a redelivery or continuation can resume without waiting. */
  release(importId: string, owner: string): Promise<void>;
  /** Records the final state and gives the lease up; false: the lease was lost. */
  finish(record: ImportRecord, owner: string): Promise<boolean>;
  get(importId: string): Promise<ImportRecord | undefined>;
  /** Newest first. */
  list(limit: number): Promise<ImportRecord[]>;
}
