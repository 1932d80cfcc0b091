import { identifierOfKey } from './identifier-key';
import type { Profile } from './profile';
import type { ProfileStore } from './profile-store';

/**
 * Who owns a batch of identifier keys, in two batch reads: the owning profiles, and the keys whose
 * marker still matches its profile (a marker left behind by a half-done write is ignored for
 * ownership, and listed in `stale` with the profile it points at).
 */
export const resolveIdentities = async (
  store: Pick<ProfileStore, 'ownersOf' | 'getMany'>,
  keys: readonly string[],
): Promise<{
  owners: Map<string, string>;
  profiles: Map<string, Profile>;
  stale: Map<string, string>;
}> => {
  const markers = await store.ownersOf([...new Set(keys)]);
  const profiles = await store.getMany([...new Set(markers.values())]);
  const owners = new Map<string, string>();
  const stale = new Map<string, string>();
  for (const [key, profileId] of markers) {
    const profile = profiles.get(profileId);
    const { kind, value } = identifierOfKey(key);
    if (profile && profile[kind] === value) owners.set(key, profileId);
    else stale.set(key, profileId);
  }
  return { owners, profiles, stale };
};
