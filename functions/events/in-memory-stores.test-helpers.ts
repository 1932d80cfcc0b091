import { identifierKey } from '../profiles/identifier-key';
import { IDENTIFIER_KINDS, type Profile } from '../profiles/profile';
import type { ProfileStore } from '../profiles/profile-store';
import type { EventLog } from './event-log';
import type { ProfileActivity, ProfileAggregateStore } from './profile-aggregate-store';
import type { StoredEvent } from './stored-event';

/** The events table in memory: profile -> eventKey -> event. */
export class InMemoryEventLog implements EventLog {
  readonly items = new Map<string, Map<string, StoredEvent>>();
  private partition(profileId: string) {
    let p = this.items.get(profileId);
    if (!p) {
      p = new Map();
      this.items.set(profileId, p);
    }
    return p;
  }
  async putIfAbsent(event: StoredEvent) {
    const p = this.partition(event.profileId);
    if (p.has(event.eventKey)) return false;
    p.set(event.eventKey, event);
    return true;
  }
  /** Called before each batch of conditional puts: lets a test write an event concurrently. */
  beforePutAll?: () => void;
  async putAllIfAbsent(events: readonly StoredEvent[]) {
    this.beforePutAll?.();
    const written: boolean[] = [];
    for (const e of events) written.push(await this.putIfAbsent(e));
    return written;
  }
  async putAll(events: readonly StoredEvent[]) {
    for (const e of events) this.partition(e.profileId).set(e.eventKey, e);
  }
  async list(profileId: string, options: { types?: readonly string[] } = {}) {
    return [...(this.items.get(profileId)?.values() ?? [])].filter(
      (e) => !options.types || options.types.includes(e.type),
    );
  }
  async deleteAllFor(profileId: string) {
    const n = this.items.get(profileId)?.size ?? 0;
    this.items.delete(profileId);
    return n;
  }
}

/** Profiles and their identifier markers in memory, with the conditional writes the stores make. */
export class InMemoryProfiles
  implements ProfileAggregateStore, Pick<ProfileStore, 'ownersOf' | 'getMany' | 'saveMany'>
{
  readonly profiles = new Map<string, Profile>();
  readonly markers = new Map<string, string>();
  /** Called before each activity write: lets a test change the profile concurrently. */
  beforeWrite?: () => void;
  writes = 0;

  async ownersOf(keys: readonly string[]) {
    return new Map(keys.flatMap((k) => (this.markers.has(k) ? [[k, this.markers.get(k)!] as const] : [])));
  }
  async getMany(ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) => (this.profiles.has(id) ? [[id, this.profiles.get(id)!] as const] : [])),
    );
  }
  async saveMany(changes: readonly { next: Profile; previous: Profile | undefined }[]) {
    for (const { next, previous } of changes) {
      if (!previous && this.profiles.has(next.profileId)) throw new Error('profile exists');
      this.profiles.set(next.profileId, next);
      for (const kind of IDENTIFIER_KINDS) {
        if (next[kind]) this.markers.set(identifierKey(kind, next[kind]!), next.profileId);
      }
    }
  }
  async read(profileId: string): Promise<ProfileActivity | undefined> {
    const p = this.profiles.get(profileId);
    if (!p) return undefined;
    return JSON.parse(
      JSON.stringify({
        purchases: p.purchases,
        lastPurchaseAt: p.lastPurchaseAt,
        lastActivityAt: p.lastActivityAt,
        activity: p.activity,
        activityCount: p.activityCount,
      }),
    );
  }
  async readMany(profileIds: readonly string[]) {
    const out = new Map<string, ProfileActivity>();
    for (const id of profileIds) {
      const activity = await this.read(id);
      if (activity) out.set(id, activity);
    }
    return out;
  }
  async write(profileId: string, expected: ProfileActivity, next: ProfileActivity) {
    this.beforeWrite?.();
    const p = this.profiles.get(profileId);
    if (!p) return false;
    const stored = p.purchases as { eventCount?: number } | undefined;
    if (stored?.eventCount !== expected.purchases?.eventCount) return false;
    if (p.lastPurchaseAt !== expected.lastPurchaseAt || p.lastActivityAt !== expected.lastActivityAt)
      return false;
    if (p.activityCount !== expected.activityCount) return false;
    this.writes++;
    this.profiles.set(profileId, { ...p, ...(next as Partial<Profile>) });
    return true;
  }
}

export const profileNamed = (profileId: string, fields: Partial<Profile> = {}): Profile => ({
  profileId,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  provenance: { kind: 'internal', source: 'test' },
  ...fields,
});
