import type { ProfileTable } from '../profiles/profile-store';
import { checkUnsubscribeToken, type UnsubscribeClaim } from './unsubscribe-token';

export type UnsubscribeResult =
  | { readonly outcome: 'unsubscribed' | 'already'; readonly claim: UnsubscribeClaim }
  | { readonly outcome: 'expired'; readonly claim: UnsubscribeClaim }
  | { readonly outcome: 'invalid_token' };

/** Honours a signed unsubscribe link at once: the channel's consent becomes `unsubscribed`. */
export const unsubscribe = async (
  store: Pick<ProfileTable, 'setConsent'>,
  secret: string,
  token: string,
  { now = new Date(), maxAgeDays }: { now?: Date; maxAgeDays: number },
): Promise<UnsubscribeResult> => {
  const checked = checkUnsubscribeToken(secret, token, { now, maxAgeDays });
  if (checked.status === 'invalid') return { outcome: 'invalid_token' };
  if (checked.status === 'expired') return { outcome: 'expired', claim: checked.claim };
  const { claim } = checked;
  const changed = await store.setConsent(claim.profileId, claim.channel, {
    status: 'unsubscribed',
    source: `unsubscribe-link:${claim.runId}`.slice(0, 100),
    timestamp: now.toISOString(),
  });
  return { outcome: changed ? 'unsubscribed' : 'already', claim };
};
