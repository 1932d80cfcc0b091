/**
 * What customers did or received, one partition per profile (see stored-event.ts for the keys).
 * This is the part erasure needs; recording and reading are in `EventLog` (event-log.ts).
 */
export interface EventStore {
  /** Removes every event of the profile; returns how many were removed. */
  deleteAllFor(profileId: string): Promise<number>;
}
