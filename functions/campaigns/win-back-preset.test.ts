import { describe, expect, it } from 'vitest';
import { evaluateSegmentRule } from '../segments/evaluate-segment-rule';
import { parseSegmentRule } from '../segments/parse-segment-rule';
import type { ProfileItem } from '../segments/segment-fields';
import { validateTemplate } from '../templates/validate-template';
import { campaignInputSchema } from './campaign-definition';
import {
  tiersAtOrAbove,
  type WinBackSettings,
  winBackCampaign,
  winBackRule,
  winBackTemplates,
} from './win-back-preset';

const settings: WinBackSettings = {
  lapsedDays: 180,
  cooldownDays: 30,
  valueTiers: ['gold', 'key', 'quality', 'general', 'restricted', 'eliminated'],
  minValueTier: 'general',
  subject: 'We miss you, {{firstName}}',
  offer: 'Take 20% off <b>now</b> {{ evil }}.',
  cron: 'cron(0 10 ? * WED *)',
  timeZone: 'Europe/London',
};
const NOW = new Date('2026-12-02T10:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const selects = (profile: ProfileItem, campaignId?: string) => {
  const parsed = parseSegmentRule(winBackRule(settings, campaignId), { segments: new Map() });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return evaluateSegmentRule(parsed.rule, { profile }, { now: NOW, segments: new Map() });
};

describe('the win-back preset', () => {
  it('takes the tiers at or above the minimum, all of them for an unknown one', () => {
    expect(tiersAtOrAbove(settings.valueTiers, 'quality')).toEqual(['gold', 'key', 'quality']);
    expect(tiersAtOrAbove(settings.valueTiers, 'nope')).toHaveLength(6);
  });

  it('selects lapsed and at-risk customers of value, and unscored ones by their last purchase or visit', () => {
    const scored = (lifecycle: string, valueTier: string) => ({
      profileId: 'p',
      scores: { lifecycle, valueTier },
    });
    expect(selects(scored('lapsed', 'gold'))).toBe(true);
    expect(selects(scored('at risk', 'general'))).toBe(true);
    expect(selects(scored('lapsed', 'restricted'))).toBe(false);
    expect(selects(scored('active', 'gold'))).toBe(false);
    expect(selects({ profileId: 'p', lastPurchaseAt: ago(200) })).toBe(true);
    expect(selects({ profileId: 'p', lastActivityAt: ago(400) })).toBe(true);
    expect(selects({ profileId: 'p', lastPurchaseAt: ago(200), lastActivityAt: ago(20) })).toBe(false);
    expect(selects({ profileId: 'p' })).toBe(false); // a prospect, not lapsed
  });

  it('leaves out whoever got it within the cooldown, once it names its campaign', () => {
    const sent = (days: number) => ({
      profileId: 'p',
      lastPurchaseAt: ago(300),
      contactLog: {
        version: 1,
        email: [{ at: NOW.getTime() - days * DAY, campaignId: 'cmp_winback' }],
        sms: [],
      },
    });
    expect(selects(sent(10), 'cmp_winback')).toBe(false);
    expect(selects(sent(40), 'cmp_winback')).toBe(true);
    expect(selects(sent(10))).toBe(true);
  });

  it('makes valid templates from the copy, the offer line stripped of markup and Liquid', () => {
    const { email, sms } = winBackTemplates(settings, 'Win-back');
    expect(validateTemplate(email)).toMatchObject({ ok: true });
    expect(validateTemplate(sms)).toMatchObject({ ok: true });
    expect(JSON.stringify(email)).toContain('Take 20% off &lt;b&gt;now&lt;/b&gt;  evil .');
    expect(JSON.stringify(sms)).toContain('Take 20% off <b>now</b>  evil .');
    expect(email).toMatchObject({ subject: 'We miss you, {{ profile.firstName | default: "there" }}' });
  });

  it('lets the request override any of its fields', () => {
    const campaign = winBackCampaign(
      { preset: 'win-back', name: 'Lapsed VIPs', controlGroup: { share: 0.2 } },
      { segmentId: 'seg_1', templates: { email: 'tpl_e', sms: 'tpl_s' } },
      settings,
    );
    expect(campaign).toMatchObject({
      name: 'Lapsed VIPs',
      channel: 'email_or_sms',
      controlGroup: { share: 0.2 },
      offer: { prefix: 'BACK', validDays: 14 },
      schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
      templates: { email: 'tpl_e', sms: 'tpl_s' },
    });
    expect(campaignInputSchema.safeParse(campaign).success).toBe(true);
  });
});
