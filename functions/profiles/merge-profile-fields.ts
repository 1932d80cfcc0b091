import type { Consent, Profile, ProfileFields } from './profile';
import { writableFields } from './profile-changes';

/**
 * What an incoming record (an import row) makes of a stored profile: a non-empty value replaces the
 * stored one, tags add up, attributes merge, and an unsubscribe is never undone by an import.
 */
export const mergeProfileFields = (previous: Profile, incoming: ProfileFields): ProfileFields => {
  const base = writableFields(previous) as ProfileFields;
  const { tags, attributes, consent, provenance: _provenance, ...scalars } = incoming;
  const merged: ProfileFields = { ...base, ...scalars };
  if (tags) merged.tags = [...new Set([...(previous.tags ?? []), ...tags])];
  if (attributes) merged.attributes = { ...(previous.attributes ?? {}), ...attributes };
  if (consent) {
    const next: { email?: Consent; sms?: Consent } = { ...(previous.consent ?? {}) };
    for (const channel of ['email', 'sms'] as const) {
      const offered = consent[channel];
      if (offered && next[channel]?.status !== 'unsubscribed' && next[channel]?.status !== offered.status) {
        next[channel] = offered;
      }
    }
    merged.consent = next;
  }
  return merged;
};
