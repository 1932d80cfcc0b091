import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CampaignDefinition } from './campaign-definition';
import { inCampaignControl } from './control-group';
import { EMPTY_CONTACT_LOG, recordContact } from './frequency-cap';
import { type Recipient, type RecipientRules, recipientDecision, recipientRules } from './recipient-decision';

const granted = { status: 'granted' };
const rules: RecipientRules = {
  campaignId: 'cmp_spring',
  kind: 'marketing',
  channel: 'email_or_sms',
  variantShares: [0.5, 0.5],
  controlShare: 0.1,
  globalControlShare: 0,
  frequencyCaps: { perDay: 1, perWeek: 3 },
  quietHours: { start: '21:00', end: '08:00' },
  businessTimeZone: 'Europe/London',
  runStartedAt: new Date('2026-06-10T09:00:00Z'),
};
const ids = Array.from({ length: 10_000 }, (_, i) => `p-${i}`);
const treatedId = ids.find((id) => !inCampaignControl('cmp_spring', id, 0.1))!;
const controlId = ids.find((id) => inCampaignControl('cmp_spring', id, 0.1))!;

const reachable = {
  profileId: treatedId,
  email: 'ann@example.com',
  phone: '+447400123456',
  consent: { email: granted, sms: granted },
};
const recipient = (profile: Record<string, unknown> = {}, extra: Partial<Recipient> = {}): Recipient => ({
  profile: { ...reachable, ...profile },
  isSuppressed: () => false,
  isSmsOptedOut: () => false,
  now: new Date('2026-06-10T09:00:00Z'),
  ...extra,
});
const decide = (
  profile: Record<string, unknown> = {},
  extra: Partial<Recipient> = {},
  over: Partial<RecipientRules> = {},
) => recipientDecision({ ...rules, ...over }, recipient(profile, extra));
const at = (iso: string) => new Date(iso);

describe('control groups', () => {
  it('records a campaign control member as control, whatever else holds', () => {
    expect(decide({ profileId: controlId })).toEqual({ skip: 'control' });
    expect(decide({ profileId: controlId, email: undefined, phone: undefined })).toEqual({ skip: 'control' });
  });

  it('keeps global control members from marketing campaigns only', () => {
    expect(decide({}, {}, { globalControlShare: 1 })).toEqual({ skip: 'global_control' });
    expect(decide({ profileId: controlId }, {}, { globalControlShare: 1 })).toEqual({
      skip: 'global_control',
    });
    expect('send' in decide({}, {}, { globalControlShare: 1, kind: 'transactional' })).toBe(true);
  });

  it('never sends to a control member, in any run, whatever was looked up (fast-check)', () => {
    const member = ids.filter((id) => inCampaignControl('cmp_spring', id, 0.1)).slice(0, 50);
    fc.assert(
      fc.property(
        fc.constantFrom(...member),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.integer({ min: 0, max: 48 * 3600_000 }),
        fc.constantFrom('marketing', 'transactional' as const),
        fc.constantFrom('email', 'sms', 'email_or_sms' as const),
        fc.option(fc.constantFrom('10:00', '23:30')),
        fc.boolean(),
        (profileId, start, later, kind, channel, localTime, suppressed) => {
          const d = recipientDecision(
            { ...rules, kind, channel, runStartedAt: new Date(start), ...(localTime ? { localTime } : {}) },
            recipient({ profileId }, { now: new Date(start + later), isSuppressed: () => suppressed }),
          );
          expect(d).toEqual({ skip: 'control' });
        },
      ),
    );
  });

  it('holds out close to the control share of an audience', () => {
    const control = ids.filter((id) => {
      const d = decide({ profileId: id });
      return 'skip' in d && d.skip === 'control';
    }).length;
    expect(Math.abs(control / ids.length - 0.1)).toBeLessThan(0.01);
  });
});

describe('the channel', () => {
  it('emails a recipient with an address and email consent, else texts one with SMS consent', () => {
    expect(decide()).toMatchObject({ send: { channel: 'email' } });
    expect(decide({ consent: { sms: granted } })).toMatchObject({ send: { channel: 'sms' } });
    expect(decide({ email: undefined })).toMatchObject({ send: { channel: 'sms' } });
  });

  it('falls back to SMS when the address is suppressed, as the preview’s reachable counts do', () => {
    const d = decide({}, { isSuppressed: (channel) => channel === 'email' });
    expect(d).toMatchObject({ send: { channel: 'sms' } });
  });

  it('names the reason of the channel that got furthest', () => {
    expect(decide({ email: undefined, phone: undefined })).toEqual({ skip: 'no_contact_point' });
    expect(decide({ consent: {} })).toEqual({ skip: 'no_consent' });
    expect(decide({ consent: { email: { status: 'unsubscribed' } } })).toEqual({ skip: 'unsubscribed' });
    expect(decide({ phone: undefined, consent: { email: { status: 'denied' } } })).toEqual({
      skip: 'no_consent',
    });
    expect(decide({ consent: { email: granted } }, { isSuppressed: () => true })).toEqual({
      skip: 'suppressed',
    });
    expect(decide({}, { isSuppressed: (c) => c === 'email', isSmsOptedOut: () => true })).toEqual({
      skip: 'sms_opted_out',
    });
  });

  it('uses only the campaign’s channel', () => {
    expect(decide({ email: undefined }, {}, { channel: 'email' })).toEqual({ skip: 'no_contact_point' });
    expect(decide({}, { isSmsOptedOut: () => true }, { channel: 'sms' })).toEqual({ skip: 'sms_opted_out' });
    expect(decide({}, {}, { channel: 'sms' })).toMatchObject({ send: { channel: 'sms' } });
  });

  it('needs no consent for a transactional campaign, but respects suppression and opt-out', () => {
    const transactional = { kind: 'transactional' as const };
    expect(decide({ consent: { email: { status: 'unsubscribed' } } }, {}, transactional)).toMatchObject({
      send: { channel: 'email' },
    });
    expect(decide({ phone: undefined }, { isSuppressed: () => true }, transactional)).toEqual({
      skip: 'suppressed',
    });
    expect(decide({ email: undefined }, { isSmsOptedOut: () => true }, transactional)).toEqual({
      skip: 'sms_opted_out',
    });
  });
});

describe('the frequency cap', () => {
  const sentToday = recordContact(EMPTY_CONTACT_LOG, {
    channel: 'email',
    at: at('2026-06-10T07:30:00Z'),
    campaignId: 'cmp_other',
    kind: 'marketing',
  });

  it('skips a recipient already emailed today, without texting them instead', () => {
    expect(decide({ contactLog: sentToday })).toEqual({
      skip: 'frequency_capped',
      cap: 'perDay',
      channel: 'email',
    });
  });

  it('exempts transactional campaigns', () => {
    expect(decide({ contactLog: sentToday }, {}, { kind: 'transactional' })).toMatchObject({
      send: { channel: 'email' },
    });
  });

  it('counts at the instant the message will go out: a localTime send tomorrow is deferred, not capped', () => {
    // 08:00 BST has passed at the run's start (10:00 BST): tomorrow 08:00 BST, a new day.
    expect(decide({ contactLog: sentToday }, {}, { localTime: '08:00' })).toEqual({
      defer: {
        until: at('2026-06-11T07:00:00Z'),
        dueAt: at('2026-06-11T07:00:00Z'),
        channel: 'email',
        variant: expect.any(Number),
      },
    });
  });
});

describe('when', () => {
  it('holds a recipient whose clock is in quiet hours until they end, then sends', () => {
    // 21:00 in Tokyo at 12:00 UTC.
    const now = at('2026-06-10T12:00:00Z');
    const first = decide({ timeZone: 'Asia/Tokyo' }, { now });
    expect(first).toMatchObject({
      defer: { until: at('2026-06-10T23:00:00Z'), dueAt: now, channel: 'email' },
    });
    const again = decide({ timeZone: 'Asia/Tokyo' }, { now: at('2026-06-10T23:00:00Z'), dueAt: now });
    expect(again).toMatchObject({
      send: { channel: 'email', at: at('2026-06-10T23:00:00Z'), dueAt: now, timeZone: 'Asia/Tokyo' },
    });
  });

  it('reads the zone from the phone number when the profile has none', () => {
    // A +81 number: Tokyo, where it is 21:00.
    const d = decide({ email: undefined, phone: '+819012345678' }, { now: at('2026-06-10T12:00:00Z') });
    expect(d).toMatchObject({ defer: { until: at('2026-06-10T23:00:00Z'), channel: 'sms' } });
  });

  it('expires a message that would go out more than 24 h after it first fell due', () => {
    const d = decide({}, { now: at('2026-06-11T09:00:01Z'), dueAt: at('2026-06-10T09:00:00Z') });
    expect(d).toEqual({ skip: 'expired', channel: 'email' });
  });

  it('sends at localTime on each recipient’s clock', () => {
    const local = { localTime: '10:00' };
    expect(decide({}, {}, local)).toMatchObject({ send: { at: at('2026-06-10T09:00:00Z') } });
    expect(decide({ timeZone: 'America/New_York' }, {}, local)).toMatchObject({
      defer: { until: at('2026-06-10T14:00:00Z'), dueAt: at('2026-06-10T14:00:00Z') },
    });
    expect(decide({ timeZone: 'Asia/Tokyo' }, {}, local)).toMatchObject({
      defer: { until: at('2026-06-11T01:00:00Z') },
    });
  });

  it('sends any hour of the day without quiet hours', () => {
    expect(
      decide({ timeZone: 'Asia/Tokyo' }, { now: at('2026-06-10T15:00:00Z') }, { quietHours: false }),
    ).toMatchObject({
      send: { channel: 'email' },
    });
  });
});

describe('variants', () => {
  it('gives each recipient the same variant every run, in proportion to the shares', () => {
    const treated = ids.filter((id) => !inCampaignControl('cmp_spring', id, 0.1));
    const variants = treated.map((id) => {
      const d = decide({ profileId: id }, {}, { variantShares: [0.2, 0.8] });
      return 'send' in d ? d.send.variant : -1;
    });
    expect(variants.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Math.abs(variants.filter((v) => v === 0).length / treated.length - 0.2)).toBeLessThan(0.02);
    const again = treated.map((id) => {
      const d = decide(
        { profileId: id },
        { now: at('2026-06-17T09:00:00Z') },
        { variantShares: [0.2, 0.8], runStartedAt: at('2026-06-17T09:00:00Z') },
      );
      return 'send' in d ? d.send.variant : -1;
    });
    expect(again).toEqual(variants);
  });
});

describe('recipientRules', () => {
  it('builds a run’s rules from the campaign and the settings', () => {
    const campaign = {
      campaignId: 'cmp_x',
      name: 'x',
      segmentId: 'seg_x',
      channel: 'email',
      kind: 'marketing',
      variants: [
        { templateId: 'a', share: 0.3 },
        { templateId: 'b', share: 0.7 },
      ],
      schedule: { type: 'manual' },
      controlGroup: { share: 0.1 },
      frequencyCap: { perWeek: 2 },
    } satisfies CampaignDefinition & { campaignId: string };
    const settings = {
      globalFrequencyCap: { perDay: 1, perWeek: 3 },
      defaultQuietHours: { start: '21:00', end: '08:00' },
      globalControlShare: 0.05,
      businessTimeZone: 'Europe/London',
    };
    expect(recipientRules(campaign, at('2026-06-10T09:00:00Z'), settings)).toEqual({
      campaignId: 'cmp_x',
      kind: 'marketing',
      channel: 'email',
      variantShares: [0.3, 0.7],
      controlShare: 0.1,
      globalControlShare: 0.05,
      frequencyCaps: { perDay: 1, perWeek: 2 },
      quietHours: { start: '21:00', end: '08:00' },
      businessTimeZone: 'Europe/London',
      runStartedAt: at('2026-06-10T09:00:00Z'),
    });
    expect(
      recipientRules(
        { ...campaign, quietHours: false, localTime: '10:00' },
        at('2026-06-10T09:00:00Z'),
        settings,
      ),
    ).toMatchObject({
      quietHours: false,
      localTime: '10:00',
    });
  });
});
