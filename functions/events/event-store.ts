/** What customers did or received, per profile. Issue 3 adds writing; erasure needs removal now. */
export interface EventStore {
  /** Removes every event of the profile; returns how many were removed. */
  deleteAllFor(profileId: string): Promise<number>;
}
