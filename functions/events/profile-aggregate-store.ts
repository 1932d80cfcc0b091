import type { PurchaseAggregates } from './purchase-aggregates';

/** The system fields that events maintain on a profile item. */
export interface ProfileActivity {
  readonly purchases?: PurchaseAggregates;
  readonly lastPurchaseAt?: string;
  readonly lastActivityAt?: string;
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
