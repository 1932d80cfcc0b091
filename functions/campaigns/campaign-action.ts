import type { CampaignStatus } from './campaign';

// What pause, resume and cancel do to a campaign, and what a run may do. Repeating an action that
// has already taken effect is no conflict (a client retrying after a timeout gets the same answer),
// so pause on a paused campaign answers paused, unchanged. What cannot be done answers a reason for
// the 409: cancelled is final (a cancelled campaign's schedule is gone and its runs are stopped;
// run it again by creating a new one), and a paused campaign is resumed, not paused into running.

export const CAMPAIGN_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export type ActionOutcome =
  | { readonly status: CampaignStatus; readonly changed: boolean }
  | { readonly refused: string };

const TARGET: Record<CampaignAction, CampaignStatus> = {
  pause: 'paused',
  resume: 'active',
  cancel: 'cancelled',
};

/** The status after `action`, whether it changed, or why it is refused. */
export const campaignAction = (status: CampaignStatus, action: CampaignAction): ActionOutcome => {
  const target = TARGET[action];
  if (status === target) return { status, changed: false };
  if (status === 'cancelled')
    return {
      refused: `the campaign is cancelled; it cannot be ${target === 'active' ? 'resumed' : 'paused'}`,
    };
  return { status: target, changed: true };
};

/**
 * Why a run of the campaign may not start now (`POST /campaigns/{id}/runs` or a schedule's firing),
 * or undefined when it may: a paused campaign's scheduled firings start no run.
 */
export const runRefusal = (status: CampaignStatus): string | undefined =>
  status === 'active'
    ? undefined
    : status === 'paused'
      ? 'the campaign is paused; resume it first'
      : 'the campaign is cancelled';

/**
 * Whether a run already under way may send its next message: pausing or cancelling a campaign stops
 * its running runs at the next message (a paused run continues when resumed; its send records keep
 * anyone from getting a message twice).
 */
export const maySend = (status: CampaignStatus): boolean => status === 'active';
