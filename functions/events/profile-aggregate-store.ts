import type { ActivitySummary } from '../segments/activity-summary';
import type { PurchaseAggregates } from './purchase-aggregates';

/** The system fields that events maintain on a profile item. */
export interface ProfileActivity {
  readonly purchases?: PurchaseAggregates;
  readonly lastPurchaseAt?: string;
  readonly lastActivityAt?: string;
  /** What the profile did, per event type and day, for segment conditions (segments/activity-summary.ts). */
  readonly activity?: ActivitySummary;
  /**
   * How many events `activity` has counted: the version its compare-and-set reads, and absent on a
   * profile whose events were never summarised (its first refresh counts them all).
   */
  readonly activityCount?: number;
}

/**
 * Reads and writes a profile's event-derived fields alone: never its version, its client fields or
 * `updatedAt` (they are system fields, like `lastReactivationAt`).
 */
export interface ProfileAggregateStore {
  /** The profile's current activity fields; undefined when there is no such profile. */
  read(profileId: string): Promise<ProfileActivity | undefined>;
  /** `read` of many profiles at once (consistent reads); a profile that does not exist is missing. */
  readMany(profileIds: readonly string[]): Promise<Map<string, ProfileActivity>>;
  /**
   * Writes `next` if the profile still exists and still holds what `expected` read (compare and
   * set); false when it changed meanwhile or was erased.
   */
  write(profileId: string, expected: ProfileActivity, next: ProfileActivity): Promise<boolean>;
}
