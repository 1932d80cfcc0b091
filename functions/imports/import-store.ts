import type { ImportRecord } from './import-record';

export type ClaimResult =
  /** This invocation owns the import now (new, or taking over one whose owner died). */
  | { readonly outcome: 'claimed' }
  /** It finished already: a redelivered notification. */
  | { readonly outcome: 'done'; readonly record: ImportRecord }
  /** Another invocation is working on it right now. */
  | { readonly outcome: 'busy' };

export interface ImportStore {
  /** Claims the import for `leaseMs`: the at-least-once S3 notification becomes exactly one import. */
  claim(record: ImportRecord, leaseMs: number): Promise<ClaimResult>;
  finish(record: ImportRecord): Promise<void>;
  get(importId: string): Promise<ImportRecord | undefined>;
}
