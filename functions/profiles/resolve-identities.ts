import { identifierKey } from './dynamodb-profile-store';
import { IDENTIFIER_KINDS, type IdentifierKind, type Profile } from './profile';
import type { ProfileStore } from './profile-store';

/** The uniqueness keys (`email#…`, `phone#…`, `externalId#…`) of whatever identifiers a record holds. */
export const identifierKeysOf = (
  fields: Partial<Record<IdentifierKind, string | undefined>>,
): { kind: IdentifierKind; key: string }[] =>
  IDENTIFIER_KINDS.flatMap((kind) =>
    fields[kind] ? [{ kind, key: identifierKey(kind, fields[kind]!) }] : [],
  );

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
    const [kind, ...rest] = key.split('#');
    if (profile && profile[kind as IdentifierKind] === rest.join('#')) owners.set(key, profileId);
    else stale.set(key, profileId);
  }
  return { owners, profiles, stale };
};
