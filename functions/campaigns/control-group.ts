import { stablePosition } from './stable-position';

// Control groups, so a campaign is judged against customers it deliberately left alone (otherwise
// the ones who would have bought anyway inflate its results). Membership is a stable hash, not a
// stored draw: the same profile is in or out of a campaign's control group in every run of that
// campaign, on every process, with nothing to read first, and a larger share keeps every member of
// a smaller one (so raising the share never releases anyone). See stable-position.ts for the hash.

/** The purpose salts: a campaign's control hash is independent of its variant hash. */
const CAMPAIGN_CONTROL_SALT = 'rekindle/control';
/** The default salt of the global control group; a new salt draws a new group. */
export const GLOBAL_CONTROL_SALT = 'rekindle/global-control';

/** A control share may be at most this: holding out more than half the audience is a mistake. */
export const MAX_CONTROL_SHARE = 0.5;

/** Where the profile falls in [0, 1) for the campaign's control group. */
export const controlPosition = (campaignId: string, profileId: string): number =>
  stablePosition(CAMPAIGN_CONTROL_SALT, campaignId, profileId);

/** True when the profile is in the campaign's control group of `share` ([0, 0.5]): it never gets the campaign. */
export const inCampaignControl = (campaignId: string, profileId: string, share: number): boolean =>
  share > 0 && controlPosition(campaignId, profileId) < share;

/**
 * True when the profile is in the global control group of `share` (a setting, default 0): it gets
 * no marketing campaign at all, so the lift of the whole marketing programme can be measured. By
 * the profile alone, so it is the same group for every campaign.
 */
export const inGlobalControl = (
  profileId: string,
  share: number,
  salt: string = GLOBAL_CONTROL_SALT,
): boolean => share > 0 && stablePosition(salt, profileId) < share;
