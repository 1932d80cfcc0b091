import type { z } from 'zod';
import type { SegmentRule } from '../segments/segment-rule';
import type { TemplateInput } from '../templates/template';
import type { CampaignInputJson, campaignInputSchema } from './campaign-definition';

// The win-back, the campaign every database marketer runs first, as a preset of the campaign
// engine: lapsed or at-risk customers by their scores (by days since they last bought or were seen,
// where no score exists yet), of a value tier at or above a setting, none who got it in the last
// cooldown days; an offer code each, a 10 % control group, weekly on Wednesday 10:00 in the business
// time zone. `POST /campaigns {"preset": "win-back", ...}` creates its segment and templates from the
// settings and the campaign on them; any campaign field given overrides the preset's.

export const PRESETS = ['win-back'] as const;

/** `{"preset": "win-back"}` and any campaign field, each overriding the preset's. */
export type PresetRequest = Partial<z.infer<typeof campaignInputSchema>> & {
  readonly preset: (typeof PRESETS)[number];
};

export interface WinBackSettings {
  /** Unscored customers whose last purchase and last activity are older than this are lapsed. */
  readonly lapsedDays: number;
  /** Nobody gets the win-back twice within this many days. */
  readonly cooldownDays: number;
  /** Value tiers, best first, and the lowest one the win-back is worth sending to. */
  readonly valueTiers: readonly string[];
  readonly minValueTier: string;
  /** The subject, where `{{firstName}}` stands for the customer's first name. */
  readonly subject: string;
  /** The offer line of the email and the SMS. */
  readonly offer: string;
  readonly cron: string;
  readonly timeZone: string;
}

/** The tiers at or above the minimum (all of them when the minimum is not one of them). */
export const tiersAtOrAbove = (tiers: readonly string[], minimum: string): string[] => {
  const at = tiers.indexOf(minimum);
  return at < 0 ? [...tiers] : tiers.slice(0, at + 1);
};

/**
 * Who the win-back is for. With the campaign's id, none who received it within the cooldown (the
 * campaign leaf reads the sends the sender recorded): the rule is saved once the campaign exists.
 */
export const winBackRule = (settings: WinBackSettings, campaignId?: string): SegmentRule => {
  const lapsed = `-P${settings.lapsedDays}D`;
  const scored: SegmentRule = {
    all: [
      { attribute: 'scores.lifecycle', op: 'in', value: ['lapsed', 'at risk'] },
      {
        attribute: 'scores.valueTier',
        op: 'in',
        value: tiersAtOrAbove(settings.valueTiers, settings.minValueTier),
      },
    ],
  };
  const unscored: SegmentRule = {
    all: [
      { attribute: 'scores.lifecycle', op: 'notExists' },
      {
        any: [
          { attribute: 'lastPurchaseAt', op: 'exists' },
          { attribute: 'lastActivityAt', op: 'exists' },
        ],
      },
      { not: { attribute: 'lastPurchaseAt', op: 'after', value: lapsed } },
      { not: { attribute: 'lastActivityAt', op: 'after', value: lapsed } },
    ],
  };
  const who: SegmentRule = { any: [scored, unscored] };
  return campaignId
    ? {
        all: [who, { not: { campaign: campaignId, op: 'received', within: `P${settings.cooldownDays}D` } }],
      }
    : who;
};

/** The copy of the settings as literal text in a template: no Liquid markup, and HTML-escaped in HTML. */
const literal = (text: string) => text.replace(/\{[{%]|[}%]\}/g, '');
const html = (text: string) =>
  literal(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!,
  );

const liquidSubject = (subject: string) =>
  subject.replaceAll('{{firstName}}', '{{ profile.firstName | default: "there" }}');

/** The email and SMS the preset creates, from the copy in the settings. */
export const winBackTemplates = (
  settings: WinBackSettings,
  name: string,
): { email: TemplateInput; sms: TemplateInput } => ({
  email: {
    name: `${name} email`,
    channel: 'email',
    kind: 'marketing',
    subject: liquidSubject(settings.subject),
    html: [
      '<p>Hi {{ profile.firstName | default: "there" }},</p>',
      '<p>It has been a while since we last saw you.</p>',
      `<p><strong>${html(settings.offer)}</strong></p>`,
      '<p>Your code: <strong>{{ offer.code }}</strong> (until {{ offer.expiresAt | date: "%-d %B %Y" }})</p>',
      '<p style="font-size:12px;color:#666">Don’t want these emails? <a href="{{ unsubscribe_url }}">Unsubscribe</a>.</p>',
    ].join('\n'),
  } as TemplateInput,
  sms: {
    name: `${name} SMS`,
    channel: 'sms',
    kind: 'marketing',
    text: `Hi {{ profile.firstName | default: "there" }}, we miss you! ${literal(settings.offer)} Code {{ offer.code }}`,
  } as TemplateInput,
});

/** The campaign: the preset's fields under whatever the request gives. */
export const winBackCampaign = (
  request: PresetRequest,
  refs: { readonly segmentId: string; readonly templates?: { readonly email: string; readonly sms: string } },
  settings: WinBackSettings,
): CampaignInputJson => {
  const { preset: _preset, ...overrides } = request;
  return {
    name: 'Win-back',
    description: 'Lapsed and at-risk customers of value, with an offer code; 10 % held out.',
    segmentId: refs.segmentId,
    channel: 'email_or_sms',
    kind: 'marketing',
    ...(refs.templates ? { templates: refs.templates } : {}),
    controlGroup: { share: 0.1 },
    offer: { prefix: 'BACK', validDays: 14 },
    schedule: { type: 'recurring', cron: settings.cron, timeZone: settings.timeZone },
    ...overrides,
  } as CampaignInputJson;
};
