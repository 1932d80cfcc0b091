import type { ProfileTable } from '../profiles/profile-store';
import { type UnsubscribeClaim, verifyUnsubscribeToken } from './unsubscribe-token';

export type UnsubscribeResult =
  | { readonly outcome: 'unsubscribed' | 'already'; readonly claim: UnsubscribeClaim }
  | { readonly outcome: 'invalid_token' };

/** Honours a signed unsubscribe link at once: the channel's consent becomes `unsubscribed`. */
export const unsubscribe = async (
  store: Pick<ProfileTable, 'setConsent'>,
  secret: string,
  token: string,
  now: Date = new Date(),
): Promise<UnsubscribeResult> => {
  const claim = verifyUnsubscribeToken(secret, token);
  if (!claim) return { outcome: 'invalid_token' };
  const changed = await store.setConsent(claim.profileId, claim.channel, {
    status: 'unsubscribed',
    source: `unsubscribe-link:${claim.runId}`.slice(0, 100),
    timestamp: now.toISOString(),
  });
  return { outcome: changed ? 'unsubscribed' : 'already', claim };
};
