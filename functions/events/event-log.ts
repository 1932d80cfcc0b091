import type { EventStore } from './event-store';
import type { StoredEvent } from './stored-event';

/** Recording and reading events: `POST /events` and transaction imports. */
export interface EventLog extends EventStore {
  /** Writes the event unless its profile already has one with that eventId; false when it had. */
  putIfAbsent(event: StoredEvent): Promise<boolean>;
  /**
   * `putIfAbsent` for many events with distinct keys, in as few requests as possible; per event,
   * true when it was written, false when its profile already had it.
   */
  putAllIfAbsent(events: readonly StoredEvent[]): Promise<boolean[]>;
  /** Writes every event, replacing any stored under the same key (imports: ids are deterministic). */
  putAll(events: readonly StoredEvent[]): Promise<void>;
  /** A profile's events, read consistently; only those of `types` when given. */
  list(profileId: string, options?: { readonly types?: readonly string[] }): Promise<StoredEvent[]>;
}
