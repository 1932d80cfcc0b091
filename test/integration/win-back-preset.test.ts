import { beforeAll, describe, expect, it } from 'vitest';
import { emailsTo, textsTo } from './mailbox';
import { api, endpoints, eventually, unique, uniquePhone } from './support';

/**
 * The win-back as a preset of the campaign engine, on the local stack: made from the settings with
 * one request, it selects and sends what the built-in reactivation run did for the same customers
 * (test/integration/reactivation.test.ts), now with offer codes and a cooldown on itself.
 */

const DAY = 24 * 3600 * 1000;
const longAgo = new Date(Date.now() - 400 * DAY).toISOString();
const recently = new Date(Date.now() - 10 * DAY).toISOString();
const consent = (status: string) => ({ status, source: 'web-form', timestamp: '2024-01-01T00:00:00Z' });

const id = unique('wb');
// Each in a daytime zone far from quiet hours is not needed: the preset's run here has none.
const people = {
  emailable: {
    email: `${id}-a@example.com`,
    firstName: 'Zoë',
    consent: { email: consent('granted') },
    lastPurchaseAt: longAgo,
  },
  textable: {
    phone: uniquePhone(),
    firstName: 'Ben',
    consent: { sms: consent('granted') },
    lastActivityAt: longAgo,
  },
  noConsent: { email: `${id}-c@example.com`, lastPurchaseAt: longAgo },
  active: { email: `${id}-d@example.com`, consent: { email: consent('granted') }, lastPurchaseAt: recently },
  optedOut: { phone: uniquePhone(), consent: { sms: consent('granted') }, lastPurchaseAt: longAgo },
  unsubscribed: {
    email: `${id}-f@example.com`,
    consent: { email: consent('unsubscribed') },
    lastPurchaseAt: longAgo,
  },
};
const profileId = (name: string) => `${id}-${name}`;

let campaign: Record<string, any>;

beforeAll(async () => {
  for (const [name, body] of Object.entries(people)) {
    const res = await api('PUT', `/profiles/${profileId(name)}`, { body });
    expect(res.status, res.text).toBe(201);
  }
  const stop = await fetch(`${endpoints().smsUrl}/opt-out`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: people.optedOut.phone }),
  });
  expect(stop.ok).toBe(true);
  // As the preset, but fired by hand, without quiet hours, and with no control group: the old run
  // had none, and this compares like with like.
  const created = await api('POST', '/campaigns', {
    body: {
      preset: 'win-back',
      name: `${id} win-back`,
      schedule: { type: 'manual' },
      quietHours: false,
      controlGroup: { share: 0 },
    },
  });
  expect(created.status, created.text).toBe(201);
  campaign = created.json;
});

describe('the win-back preset', () => {
  it('is made from the settings: segment, templates, offer, email_or_sms', async () => {
    expect(campaign).toMatchObject({
      name: `${id} win-back`,
      channel: 'email_or_sms',
      kind: 'marketing',
      offer: { prefix: 'BACK', validDays: 14 },
      schedule: { type: 'manual' },
    });
    const segment = (await api('GET', `/segments/${campaign.segmentId}`)).json;
    expect(segment.name).toBe(`${id} win-back audience`);
    // Its cooldown names the campaign itself.
    expect(JSON.stringify(segment.rule)).toContain(`"campaign":"${campaign.campaignId}"`);
    const email = (await api('GET', `/templates/${campaign.templates.email}`)).json;
    expect(email).toMatchObject({
      channel: 'email',
      subject: 'We miss you, {{ profile.firstName | default: "there" }}',
    });
    const preset = await api('POST', '/campaigns', {
      body: { preset: 'win-back', name: `${id} other`, channel: 'fax' },
    });
    expect(preset.status).toBe(422);
    expect(preset.json.error.details.map((d: { path: string }) => d.path)).toContain('channel');
  });

  it('sends what the reactivation run sent: an email, a text, the same skips, nothing to the active', async () => {
    const fired = await api('POST', `/campaigns/${campaign.campaignId}/runs`);
    expect(fired.status, fired.text).toBe(202);
    const run = await eventually(async () => {
      const res = (await api('GET', `/campaigns/${campaign.campaignId}/runs/${fired.json.runId}`)).json;
      return res.selectedAt && res.counts.waiting === 0 && res.counts.sending === 0 ? res : undefined;
    }, 60_000);
    expect(run.counts).toMatchObject({
      audience: 5,
      sent: 2,
      sentByChannel: { email: 1, sms: 1 },
      skippedByReason: { no_consent: 1, sms_opted_out: 1, unsubscribed: 1 },
    });
    const [mail] = await emailsTo(people.emailable.email);
    expect(mail?.subject).toBe('We miss you, Zoë');
    expect(mail?.body.html).toMatch(/Your code: <strong>BACK-[0-9A-Z]{11}<\/strong>/);
    expect((await textsTo(people.textable.phone))[0]?.message).toMatch(/^Hi Ben, we miss you! .* Code BACK-/);
    for (const name of ['noConsent', 'active', 'unsubscribed'] as const)
      expect(await emailsTo(people[name].email), name).toHaveLength(0);
    expect(await textsTo(people.optedOut.phone)).toHaveLength(0);
  });

  it('skips, in its next run, whoever got it within the cooldown', async () => {
    const fired = await api('POST', `/campaigns/${campaign.campaignId}/runs`);
    const run = await eventually(async () => {
      const res = (await api('GET', `/campaigns/${campaign.campaignId}/runs/${fired.json.runId}`)).json;
      return res.selectedAt && res.counts.waiting === 0 && res.counts.sending === 0 ? res : undefined;
    }, 60_000);
    // The two who got it are out of the audience now; the three skipped are asked again.
    expect(run.counts).toMatchObject({ audience: 3, sent: 0 });
    expect(await emailsTo(people.emailable.email)).toHaveLength(1);
  });
});
