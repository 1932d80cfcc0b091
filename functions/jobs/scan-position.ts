/**
 * Where one segment of a parallel scan stands: the (opaque) key to read on from, or done. A long
 * job checkpoints these, so a continuation reads on instead of starting over.
 */
export interface SegmentPosition {
  readonly next?: Record<string, unknown>;
  readonly done: boolean;
}

export interface ScanOptions {
  /** Resume where an earlier scan stopped (one position per segment; it fixes the segment count). */
  readonly from?: readonly SegmentPosition[];
  /** Checked before each page: true stops every segment at its next page boundary. */
  readonly stop?: () => boolean;
  /** Items per page at most (a page is the unit of work between checkpoints). */
  readonly pageSize?: number;
}

/** The position of the segment a page came from, after that page. */
export type PagePosition = SegmentPosition & { readonly segment: number; readonly segments: number };

export const scanComplete = (positions: readonly SegmentPosition[]): boolean =>
  positions.every((p) => p.done);
