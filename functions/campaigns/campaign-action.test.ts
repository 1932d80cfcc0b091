import { describe, expect, it } from 'vitest';
import { CAMPAIGN_STATUSES } from './campaign';
import { CAMPAIGN_ACTIONS, campaignAction, maySend, runRefusal } from './campaign-action';

describe('campaignAction', () => {
  it('pauses an active campaign, resumes a paused one, cancels either', () => {
    expect(campaignAction('active', 'pause')).toEqual({ status: 'paused', changed: true });
    expect(campaignAction('paused', 'resume')).toEqual({ status: 'active', changed: true });
    expect(campaignAction('active', 'cancel')).toEqual({ status: 'cancelled', changed: true });
    expect(campaignAction('paused', 'cancel')).toEqual({ status: 'cancelled', changed: true });
  });

  it('answers an action repeated (a client retrying) unchanged, not with a conflict', () => {
    expect(campaignAction('paused', 'pause')).toEqual({ status: 'paused', changed: false });
    expect(campaignAction('active', 'resume')).toEqual({ status: 'active', changed: false });
    expect(campaignAction('cancelled', 'cancel')).toEqual({ status: 'cancelled', changed: false });
  });

  it('refuses to bring back a cancelled campaign, with the reason for the 409', () => {
    expect(campaignAction('cancelled', 'resume')).toEqual({
      refused: 'the campaign is cancelled; it cannot be resumed',
    });
    expect(campaignAction('cancelled', 'pause')).toEqual({
      refused: 'the campaign is cancelled; it cannot be paused',
    });
  });

  it('ends every answer in a status the action names, from any status', () => {
    const target = { pause: 'paused', resume: 'active', cancel: 'cancelled' };
    for (const status of CAMPAIGN_STATUSES)
      for (const action of CAMPAIGN_ACTIONS) {
        const outcome = campaignAction(status, action);
        if ('status' in outcome) expect(outcome.status).toBe(target[action]);
        else expect(status).toBe('cancelled');
      }
  });
});

describe('runs', () => {
  it('start only for an active campaign, and send only while it stays active', () => {
    expect(runRefusal('active')).toBeUndefined();
    expect(runRefusal('paused')).toBe('the campaign is paused; resume it first');
    expect(runRefusal('cancelled')).toBe('the campaign is cancelled');
    expect(CAMPAIGN_STATUSES.filter(maySend)).toEqual(['active']);
  });
});
