import { describe, expect, it } from 'vitest';
import {
  type CampaignDefinitionContext,
  type TemplateFacts,
  validateCampaignDefinition,
} from './check-campaign-definition';

const templates: Record<string, TemplateFacts> = {
  tpl_email: { channel: 'email', kind: 'marketing', readsOffer: false },
  tpl_email_offer: { channel: 'email', kind: 'marketing', readsOffer: true },
  tpl_email_b: { channel: 'email', kind: 'marketing', readsOffer: false },
  tpl_sms: { channel: 'sms', kind: 'marketing', readsOffer: false },
  tpl_sms_b: { channel: 'sms', kind: 'marketing', readsOffer: false },
  tpl_receipt: { channel: 'email', kind: 'transactional', readsOffer: false },
};
const context: CampaignDefinitionContext = {
  now: new Date('2026-11-23T12:00:00Z'),
  segmentExists: (id) => id === 'seg_lapsed',
  template: (id) => templates[id],
  globalFrequencyCap: { perDay: 1, perWeek: 3 },
  defaultQuietHours: { start: '21:00', end: '08:00' },
};
const base = {
  name: 'Spring win-back',
  segmentId: 'seg_lapsed',
  channel: 'email',
  templateId: 'tpl_email',
  schedule: { type: 'manual' },
};
const errorsOf = (input: Record<string, unknown>, ctx: Partial<CampaignDefinitionContext> = {}) => {
  const result = validateCampaignDefinition(input, { ...context, ...ctx });
  return result.ok ? [] : result.errors;
};
const errorsFor = (override: Record<string, unknown>, ctx: Partial<CampaignDefinitionContext> = {}) =>
  errorsOf({ ...base, ...override }, ctx);

describe('a valid definition', () => {
  it('takes the weekly win-back with everything set, and fills in kind marketing', () => {
    const result = validateCampaignDefinition(
      {
        name: 'Win-back',
        description: 'Lapsed customers, an offer each',
        segmentId: 'seg_lapsed',
        channel: 'email_or_sms',
        templates: { email: 'tpl_email_offer', sms: 'tpl_sms' },
        schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
        controlGroup: { share: 0.1 },
        localTime: '10:00',
        offer: { prefix: 'BACK10', validDays: 14 },
        frequencyCap: { perWeek: 2 },
        topic: 'offers',
      },
      context,
    );
    expect(result).toMatchObject({ ok: true, definition: { kind: 'marketing', channel: 'email_or_sms' } });
  });

  it('takes A/B variants whose shares sum to 1 within rounding', () => {
    const variants = [
      { templateId: 'tpl_email', share: 0.1 },
      { templateId: 'tpl_email_b', share: 0.2 },
      { name: 'C', templateId: 'tpl_email', share: 0.7 },
    ];
    expect(errorsFor({ templateId: undefined, variants })).toEqual([]);
  });
});

describe('the message', () => {
  it('needs exactly one of templateId, templates and variants', () => {
    expect(errorsFor({ templateId: undefined })).toEqual([
      { path: 'templateId', message: 'the message is missing: give templateId or variants' },
    ]);
    expect(
      errorsFor({
        variants: [
          { templateId: 'tpl_email', share: 0.5 },
          { templateId: 'tpl_email_b', share: 0.5 },
        ],
      }),
    ).toEqual([
      {
        path: 'variants',
        message: 'give only one of templateId, templates and variants (templateId is given)',
      },
    ]);
  });

  it('takes templates {email, sms} on email_or_sms only, and templateId on the others only', () => {
    expect(errorsFor({ channel: 'email_or_sms' })).toEqual([
      { path: 'templateId', message: 'channel email_or_sms takes templates: {email, sms}' },
    ]);
    expect(errorsFor({ templateId: undefined, templates: { email: 'tpl_email', sms: 'tpl_sms' } })).toEqual([
      { path: 'templates', message: 'is for channel email_or_sms; channel email takes templateId' },
    ]);
  });

  it('names the variant that lacks a template, the shares that do not sum to 1 and a repeated name', () => {
    const errors = errorsFor({
      templateId: undefined,
      variants: [{ name: 'B', templateId: 'tpl_email', share: 0.5 }, { share: 0.4 }],
    });
    expect(errors).toEqual([
      { path: 'variants.1', message: 'names no template: give templateId' },
      { path: 'variants.1.name', message: 'B is the name of variant 0 already' },
      { path: 'variants', message: 'the shares sum to 0.9; they must sum to 1' },
    ]);
  });

  it('refuses a share outside (0, 1], a single variant and more than 8', () => {
    const v = (share: number) => ({ templateId: 'tpl_email', share });
    expect(errorsFor({ templateId: undefined, variants: [v(0), v(1)] })).toEqual([
      { path: 'variants.0.share', message: 'must be more than 0' },
    ]);
    expect(errorsFor({ templateId: undefined, variants: [v(1.2), v(0.5)] })[0]?.path).toBe(
      'variants.0.share',
    );
    expect(errorsFor({ templateId: undefined, variants: [v(1)] })[0]?.path).toBe('variants');
    expect(
      errorsFor({ templateId: undefined, variants: Array.from({ length: 9 }, () => v(1 / 9)) })[0]?.path,
    ).toBe('variants');
  });
});

describe('what the definition refers to', () => {
  it('refuses an unknown segment and an unknown template', () => {
    expect(errorsFor({ segmentId: 'seg_gone', templateId: 'tpl_gone' })).toEqual([
      { path: 'segmentId', message: 'there is no segment seg_gone' },
      { path: 'templateId', message: 'there is no template tpl_gone' },
    ]);
  });

  it('refuses a template of the other channel, and says so when email and sms are swapped', () => {
    expect(errorsFor({ templateId: 'tpl_sms' })).toEqual([
      { path: 'templateId', message: 'tpl_sms is an sms template; this takes an email template' },
    ]);
    expect(errorsFor({ channel: 'sms', templateId: 'tpl_email' })).toEqual([
      { path: 'templateId', message: 'tpl_email is an email template; this takes an sms template' },
    ]);
    expect(
      errorsFor({
        channel: 'email_or_sms',
        templateId: undefined,
        templates: { email: 'tpl_sms', sms: 'tpl_email' },
      }),
    ).toEqual([
      {
        path: 'templates.email',
        message: 'tpl_sms is an sms template; this takes an email template (are email and sms swapped?)',
      },
      {
        path: 'templates.sms',
        message: 'tpl_email is an email template; this takes an sms template (are email and sms swapped?)',
      },
    ]);
    expect(
      errorsFor({
        channel: 'sms',
        templateId: undefined,
        variants: [
          { templateId: 'tpl_sms', share: 0.5 },
          { templateId: 'tpl_email', share: 0.5 },
        ],
      }),
    ).toEqual([
      {
        path: 'variants.1.templateId',
        message: 'tpl_email is an email template; this takes an sms template',
      },
    ]);
  });

  it('refuses a transactional template on a marketing campaign, not on a transactional one', () => {
    expect(errorsFor({ templateId: 'tpl_receipt' })).toEqual([
      {
        path: 'templateId',
        message:
          'tpl_receipt is a transactional template: a marketing campaign sends marketing templates (with the unsubscribe link or opt-out)',
      },
    ]);
    expect(errorsFor({ templateId: 'tpl_receipt', kind: 'transactional' })).toEqual([]);
  });

  it('refuses a template that reads offer.* on a campaign without an offer', () => {
    expect(errorsFor({ templateId: 'tpl_email_offer' })).toEqual([
      {
        path: 'templateId',
        message: 'tpl_email_offer reads offer.*: give the campaign an offer ({prefix, validDays})',
      },
    ]);
    expect(errorsFor({ templateId: 'tpl_email_offer', offer: { prefix: 'SPRING', validDays: 7 } })).toEqual(
      [],
    );
  });
});

describe('the rules', () => {
  it('holds a control share between 0 and 0.5', () => {
    expect(errorsFor({ controlGroup: { share: 0.6 } })).toEqual([
      { path: 'controlGroup.share', message: 'must be at most 0.5' },
    ]);
    expect(errorsFor({ controlGroup: { share: -0.1 } })).toEqual([
      { path: 'controlGroup.share', message: 'must be at least 0' },
    ]);
    expect(errorsFor({ controlGroup: { share: 0 } })).toEqual([]);
    expect(errorsFor({ controlGroup: { share: 0.5 } })).toEqual([]);
  });

  it('never lowers the control share of a campaign that has run', () => {
    expect(errorsFor({ controlGroup: { share: 0.05 } }, { previousControlShare: 0.1 })).toEqual([
      {
        path: 'controlGroup.share',
        message:
          'may not go below 0.1 once the campaign has run: its control members were promised nothing from it',
      },
    ]);
    expect(errorsFor({}, { previousControlShare: 0.1 })[0]?.path).toBe('controlGroup');
    expect(errorsFor({ controlGroup: { share: 0.2 } }, { previousControlShare: 0.1 })).toEqual([]);
  });

  it('reads the offer prefix, validity, localTime and quiet hours as written', () => {
    expect(errorsFor({ offer: { prefix: 'spring', validDays: 0 } })).toEqual([
      { path: 'offer.prefix', message: 'must be 1-10 capital letters or digits, such as SPRING25' },
      { path: 'offer.validDays', message: 'must be at least 1' },
    ]);
    expect(errorsFor({ offer: { prefix: 'ABCDEFGHIJK', validDays: 366 } }).map((e) => e.path)).toEqual([
      'offer.prefix',
      'offer.validDays',
    ]);
    expect(errorsFor({ localTime: '9:30' })).toEqual([
      { path: 'localTime', message: 'must be a 24-hour time HH:MM, such as 09:30' },
    ]);
    expect(errorsFor({ quietHours: { start: '22:00', end: '22:00' } })).toEqual([
      { path: 'quietHours.end', message: 'equals start: for no quiet hours write quietHours: false' },
    ]);
  });

  it('refuses a localTime inside the quiet hours every message would wait out', () => {
    expect(errorsFor({ localTime: '22:30' })).toEqual([
      {
        path: 'localTime',
        message: '22:30 is inside quiet hours 21:00-08:00: every message would wait until 08:00',
      },
    ]);
    expect(errorsFor({ localTime: '22:30', quietHours: { start: '23:00', end: '07:00' } })).toEqual([]);
    expect(errorsFor({ localTime: '22:30', quietHours: false })).toEqual([]);
    expect(errorsFor({ localTime: '22:30' }, { defaultQuietHours: false })).toEqual([]);
  });

  it('lets a marketing campaign be stricter than the global frequency caps, never looser', () => {
    expect(errorsFor({ frequencyCap: { perWeek: 2 } })).toEqual([]);
    expect(errorsFor({ frequencyCap: { perDay: 2, perWeek: 3 } })).toEqual([
      {
        path: 'frequencyCap.perDay',
        message: 'must be at most 1, the global cap: a campaign may be stricter, not looser',
      },
    ]);
    expect(errorsFor({ frequencyCap: { perDay: 2 } }, { globalFrequencyCap: { perWeek: 3 } })).toEqual([]);
    expect(errorsFor({ frequencyCap: {} })).toEqual([
      { path: 'frequencyCap', message: 'give perDay, perWeek or both' },
    ]);
    expect(errorsFor({ frequencyCap: { perDay: 0.5 } })[0]?.path).toBe('frequencyCap.perDay');
    expect(errorsFor({ frequencyCap: { perWeek: 1 }, kind: 'transactional' })).toEqual([
      { path: 'frequencyCap', message: 'transactional messages are neither capped nor counted' },
    ]);
  });

  it('refuses a once in the past and an unknown field', () => {
    expect(
      errorsFor({ schedule: { type: 'once', at: '2026-11-01T10:00', timeZone: 'Europe/London' } }),
    ).toEqual([{ path: 'schedule.at', message: '2026-11-01T10:00:00.000Z is in the past' }]);
    expect(errorsFor({ audience: 'everyone' })[0]?.path).toBe('(body)');
  });

  it('reports every fault at once', () => {
    const errors = errorsFor({
      segmentId: 'seg_gone',
      templateId: 'tpl_sms',
      localTime: '23:00',
      frequencyCap: { perWeek: 5 },
      schedule: { type: 'recurring', cron: 'cron(*/10 * ? * * *)', timeZone: 'Europe/London' },
    });
    expect(errors.map((e) => e.path)).toEqual([
      'segmentId',
      'templateId',
      'schedule.cron',
      'localTime',
      'frequencyCap.perWeek',
    ]);
  });
});
