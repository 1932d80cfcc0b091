import type { Segment } from './segment';

/** Why a segment write was refused; the store checks it in the same write, so no race gets past it. */
export type SegmentWriteRefusal =
  | { readonly kind: 'name-taken'; readonly segmentId: string }
  | { readonly kind: 'changed' }
  | { readonly kind: 'missing-reference'; readonly segmentId: string };

/**
 * Saved segments. Every write keeps the `usedBy` lists true: a segment's rule referring to others
 * adds it to theirs, in the same transaction that saves it, so a referenced segment can never be
 * deleted in between. Names are unique (case-insensitively): a drop-folder list names its segment.
 */
export interface SegmentStore {
  get(segmentId: string): Promise<Segment | undefined>;
  /** Every segment, by name (at most MAX_SEGMENTS). */
  list(): Promise<Segment[]>;
  /** Saves a new segment; `references` are the segments its rule refers to. */
  create(segment: Segment, references: readonly string[]): Promise<SegmentWriteRefusal | undefined>;
  /** Replaces `previous` (compare and set on its version) with `next`. */
  update(
    next: Segment,
    previous: Segment,
    references: { readonly added: readonly string[]; readonly removed: readonly string[] },
  ): Promise<SegmentWriteRefusal | undefined>;
  /** Deletes the segment if nothing uses it: 'in-use' with who does, else whether it was there. */
  delete(
    segment: Segment,
    references: readonly string[],
  ): Promise<
    | { readonly kind: 'deleted' | 'missing' | 'changed' }
    | { readonly kind: 'in-use'; readonly usedBy: string[] }
  >;
}
