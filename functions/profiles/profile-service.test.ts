import { describe, expect, it } from 'vitest';
import type { EventStore } from '../events/event-store';
import type { Profile } from './profile';
import { replaceProfile } from './profile-changes';
import { ProfileService, type ProfileServiceStore } from './profile-service';
import { IdentifierTakenError } from './profile-store';

const noEvents: EventStore = { deleteAllFor: async () => 0 };

/**
 * The moment a bulk import is inside: it has claimed the marker of ann@example.com for profile
 * `p-import` and writes that profile `gapMs` later. Until then the marker points at a profile that
 * does not exist yet, so a look-up finds nobody and a create finds the email taken.
 */
function importInFlight(gapMs: number) {
  const started = Date.now();
  const written = () => Date.now() - started >= gapMs;
  const imported: Profile = replaceProfile(
    'p-import',
    { email: 'ann@example.com', firstName: 'Ann', provenance: { source: 'crm', kind: 'internal' } },
    undefined,
    new Date(started).toISOString(),
  );
  const saved: Profile[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used by upsert');
  };
  const store: ProfileServiceStore = {
    findBy: async () => (written() ? imported : undefined),
    save: async (next: Profile, previous: Profile | undefined) => {
      if (!previous && !written()) throw new IdentifierTakenError('email', 'p-import');
      saved.push(next);
    },
    get: unused,
    delete: unused,
    list: unused,
  };
  return { store, saved };
}

describe('ProfileService.upsert next to a bulk import', () => {
  it('waits out the moment between the import claiming an email and writing its profile', async () => {
    const { store, saved } = importInFlight(100);
    const service = new ProfileService(store, noEvents, 'US');
    const result = await service.upsert(
      { email: 'Ann@Example.com', lastName: 'Lee' },
      { source: 'event', kind: 'internal' },
    );
    expect(result).toEqual({ outcome: 'updated', profileId: 'p-import' });
    expect(saved.map((p) => [p.profileId, p.firstName, p.lastName])).toEqual([['p-import', 'Ann', 'Lee']]);
  });

  it('still reports a conflict when the email stays taken', async () => {
    const { store, saved } = importInFlight(60_000);
    const service = new ProfileService(store, noEvents, 'US');
    await expect(
      service.upsert({ email: 'ann@example.com' }, { source: 'event', kind: 'internal' }),
    ).rejects.toThrow(/changed since it was read/);
    expect(saved).toEqual([]);
  });
});
