import type { SegmentPlan } from './plan-segment-rule';
import type { ProfileItem } from './segment-fields';

/** Where one part of a read stands (a scan segment, or one index key's Query): resumable. */
export interface ReadPart {
  readonly next?: Record<string, unknown>;
  readonly done: boolean;
  /** Pages the part has handed on so far. */
  readonly pages: number;
}

export interface ResumableReadOptions {
  /** Where an earlier read of the same plan stopped (it fixes the parts). */
  readonly from?: readonly ReadPart[];
  /** Checked before each page: true stops every part at its next page boundary. */
  readonly stop?: () => boolean;
  readonly pageSize?: number;
}

/**
 * Reads the profiles a plan covers, projected to `attributes`, page by page: a Scan of the profiles
 * table, or Queries of the score index partitions the plan names. A page is handed on as it
 * arrives, so a preview or a run keeps only what it counts.
 */
export interface AudienceReader {
  read(
    plan: SegmentPlan,
    attributes: readonly string[],
    onPage: (profiles: readonly ProfileItem[]) => void | Promise<void>,
  ): Promise<void>;
  /**
   * The same read for a long job: each page with its part's index and position after it (a part
   * reads on once `onPage` has settled); returns every part's position, all done or where `stop`
   * stopped them, for `from` to take back.
   */
  readResumable(
    plan: SegmentPlan,
    attributes: readonly string[],
    onPage: (profiles: readonly ProfileItem[], part: number, after: ReadPart) => Promise<void>,
    options?: ResumableReadOptions,
  ): Promise<ReadPart[]>;
}
