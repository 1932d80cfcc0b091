import { stablePosition } from './stable-position';

// A/B variants by a stable hash of (campaign, profile), so a recipient gets the same variant in
// every run of a recurring campaign (a comparison between variants would mean nothing if people
// moved between them), and the variant is independent of control membership: the control hash uses
// another salt, so the variants' proportions hold among the recipients who are sent.

const VARIANT_SALT = 'rekindle/variant';

/**
 * The index of the variant the profile gets: its position in [0, 1) against the cumulative shares
 * (which sum to 1, checked with the definition). A position past the last boundary through
 * rounding goes to the last variant. Without variants (`[1]` or `[]`) it is 0.
 */
export const chooseVariant = (campaignId: string, profileId: string, shares: readonly number[]): number => {
  if (shares.length <= 1) return 0;
  const position = stablePosition(VARIANT_SALT, campaignId, profileId);
  let cumulative = 0;
  for (let i = 0; i < shares.length - 1; i++) {
    cumulative += shares[i]!;
    if (position < cumulative) return i;
  }
  return shares.length - 1;
};
