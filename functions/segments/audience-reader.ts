import type { SegmentPlan } from './plan-segment-rule';
import type { ProfileItem } from './segment-fields';

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
}
