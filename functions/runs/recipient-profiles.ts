import type { ContactLog } from '../campaigns/frequency-cap';
import type { Profile } from '../profiles/profile';

/** What the sender reads and writes of profiles: the recipients, and their contact logs. */
export interface RecipientProfiles {
  /** Consistent reads; absent ids (erased profiles) are missing from the map. */
  getMany(profileIds: readonly string[]): Promise<Map<string, Profile>>;
  /**
   * Writes the contact log if the stored one is still at `previousVersion` (0: none yet), without
   * touching the profile's own version; false when it moved on or the profile is gone.
   */
  writeContactLog(profileId: string, log: ContactLog, previousVersion: number): Promise<boolean>;
}
