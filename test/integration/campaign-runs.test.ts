import { beforeAll, describe, expect, it } from 'vitest';
import { inCampaignControl } from '../../functions/campaigns/control-group';
import { emailsTo, header, type StoredEmail, textsTo } from './mailbox';
import { api, endpoints, eventually, functionLog, unique, uniquePhone } from './support';
import { dayZone, nightZone } from './zones';

/**
 * Campaign runs on the local stack, end to end: fired over HTTP or by the local Scheduler, the
 * audience read by the run function, each recipient decided and sent by the sender through the
 * SES and SMS emulators, read back from their stores.
 */

const consent = (status: string) => ({ status, source: 'web-form', timestamp: '2024-01-01T00:00:00Z' });

const runOf = async (campaignId: string, runId: string) =>
  api('GET', `/campaigns/${campaignId}/runs/${runId}`);

/** Waits until the run has looked at every recipient (deferred ones stay deferred). */
const settled = (campaignId: string, runId: string, timeoutMs = 60_000) =>
  eventually(
    async () => {
      const res = await runOf(campaignId, runId);
      const c = res.json?.counts;
      return c && res.json.selectedAt && c.waiting === 0 && c.sending === 0 ? res.json : undefined;
    },
    timeoutMs,
    `run ${runId} to settle`,
  );

const tag = unique('runs');
let segmentId: string;
let emailTemplate: string;
let smsTemplate: string;

beforeAll(async () => {
  const segment = await api('POST', '/segments', {
    body: { name: `${tag} audience`, rule: { attribute: 'tags', op: 'contains', value: tag } },
  });
  expect(segment.status, segment.text).toBe(201);
  segmentId = segment.json.segmentId;
  const template = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/templates', { body: { name: `${tag} ${body.channel}`, ...body } });
    expect(res.status, res.text).toBe(201);
    return res.json.template.templateId as string;
  };
  emailTemplate = await template({
    channel: 'email',
    subject: 'Hi {{ profile.firstName | default: "there" }}',
    html: '<p>Hi {{ profile.firstName | default: "there" }}</p><p>Code {{ offer.code }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
  });
  smsTemplate = await template({ channel: 'sms', text: 'Code {{ offer.code }}' });
});

describe('a manual campaign run', () => {
  const day = dayZone();
  const night = nightZone();
  let campaignId: string;
  const ids: Record<string, string> = {};
  const addresses = {
    email: `${tag}-a@example.com`,
    noConsent: `${tag}-b@example.com`,
    unsubscribed: `${tag}-c@example.com`,
    suppressed: `${tag}-d@example.com`,
    night: `${tag}-n@example.com`,
    control: `${tag}-k@example.com`,
    sms: uniquePhone(),
    optedOut: uniquePhone(),
  };
  let runId: string;

  beforeAll(async () => {
    const created = await api('POST', '/campaigns', {
      body: {
        name: `${tag} win-back`,
        segmentId,
        channel: 'email_or_sms',
        templates: { email: emailTemplate, sms: smsTemplate },
        controlGroup: { share: 0.2 },
        offer: { prefix: 'BACK', validDays: 14 },
        schedule: { type: 'manual' },
      },
    });
    expect(created.status, created.text).toBe(201);
    campaignId = created.json.campaignId;
    // Profile ids chosen so that exactly the one meant for it is in the control group.
    let n = 0;
    const idFor = (name: string, control: boolean) => {
      for (;;) {
        const id = `${tag}-${name}-${n++}`;
        if (inCampaignControl(campaignId, id, 0.2) === control) return id;
      }
    };
    const people: Record<string, Record<string, unknown>> = {
      email: {
        email: addresses.email,
        firstName: '<script>alert(1)</script>{{ 7 | times: 6 }}',
        consent: { email: consent('granted') },
        timeZone: day,
      },
      sms: { phone: addresses.sms, consent: { sms: consent('granted') }, timeZone: day },
      optedOut: { phone: addresses.optedOut, consent: { sms: consent('granted') }, timeZone: day },
      noConsent: { email: addresses.noConsent, timeZone: day },
      unsubscribed: {
        email: addresses.unsubscribed,
        consent: { email: consent('unsubscribed') },
        timeZone: day,
      },
      suppressed: { email: addresses.suppressed, consent: { email: consent('granted') }, timeZone: day },
      noContact: { externalId: `${tag}-x`, timeZone: day },
      night: { email: addresses.night, consent: { email: consent('granted') }, timeZone: night },
      control: { email: addresses.control, consent: { email: consent('granted') }, timeZone: day },
    };
    for (const [name, body] of Object.entries(people)) {
      ids[name] = idFor(name, name === 'control');
      const res = await api('PUT', `/profiles/${ids[name]}`, { body: { ...body, tags: [tag] } });
      expect(res.status, res.text).toBe(201);
    }
    const suppressed = await api('POST', '/suppressions', { body: { email: addresses.suppressed } });
    expect(suppressed.status, suppressed.text).toBe(201);
    const stop = await fetch(`${endpoints().smsUrl}/opt-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: addresses.optedOut }),
    });
    expect(stop.ok).toBe(true);

    const fired = await api('POST', `/campaigns/${campaignId}/runs`);
    expect(fired.status, functionLog('create-campaign-run').text.slice(-3000)).toBe(202);
    runId = fired.json.runId;
    expect(fired.headers.get('location')).toBe(`/campaigns/${campaignId}/runs/${runId}`);
    expect(fired.json).toMatchObject({ status: 'queued', trigger: 'manual', campaignVersion: 1 });
    await settled(campaignId, runId);
  });

  it('counts every recipient once, with the reason of each skip, as the segment preview counted them', async () => {
    const run = (await runOf(campaignId, runId)).json;
    expect(run.counts).toMatchObject({
      audience: 9,
      control: 1,
      queued: 8,
      waiting: 0,
      sent: 2,
      sentByChannel: { email: 1, sms: 1 },
      sentByVariant: { '0': 2 },
      skipped: 5,
      skippedByReason: {
        no_consent: 1,
        unsubscribed: 1,
        suppressed: 1,
        sms_opted_out: 1,
        no_contact_point: 1,
      },
      deferred: 1,
      failed: 0,
      inDoubt: 0,
    });
    expect(run.templates).toEqual([
      { variant: 0, channel: 'email', templateId: emailTemplate, version: 1 },
      { variant: 0, channel: 'sms', templateId: smsTemplate, version: 1 },
    ]);
    const preview = await api('GET', `/segments/${segmentId}/preview`);
    expect(preview.json.count).toBe(run.counts.audience);
  });

  it('emails the consenting customer once, escaped, with one-click unsubscribe, List-Id and a valid offer code', async () => {
    const mails = await emailsTo(addresses.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails as [StoredEmail];
    expect(mail.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;{{ 7 | times: 6 }}');
    // The Liquid in the name is text, not evaluated (a bare '42' could be in the link's random token).
    expect(mail.body.html).not.toContain('&lt;/script&gt;42');
    expect(header(mail, 'List-Unsubscribe')).toMatch(/^<http.*\/unsubscribe\?token=[^>]+>$/);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(mail, 'List-Id')).toMatch(
      new RegExp(`<${campaignId.toLowerCase().replace(/_/g, '-')}\\.example\\.com>$`),
    );
    const code = /Code (BACK-[0-9A-Z]{11})/.exec(mail.body.html ?? '')?.[1];
    expect(code).toBeDefined();
    const offer = await api('GET', `/offers/${code}`);
    expect(offer.json).toMatchObject({ code, valid: true, campaignId });
    expect((await api('GET', '/offers/BACK-0000000000X')).json).toMatchObject({ valid: false });

    const sent = await api('GET', `/campaigns/${campaignId}/runs/${runId}/recipients?status=sent`);
    const record = sent.json.items.find((r: { profileId: string }) => r.profileId === ids.email);
    expect(record).toMatchObject({ status: 'sent', channel: 'email', offerCode: code, templateVersion: 1 });
    expect(record.messageId).toBe(mail.messageId);
    expect(record.claimId).toBeUndefined();
  });

  it('texts the customer who has only a phone, with the opt-out line, and not the one who opted out', async () => {
    const texts = await textsTo(addresses.sms);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.message).toMatch(/^Code BACK-[0-9A-Z]{11}\s+Reply STOP to opt out$/);
    expect(texts[0]!.messageAttributes['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Promotional');
    expect(await textsTo(addresses.optedOut)).toHaveLength(0);
  });

  it('sends nothing to the control member, the skipped, nor (yet) the one in quiet hours', async () => {
    for (const address of [
      addresses.control,
      addresses.noConsent,
      addresses.unsubscribed,
      addresses.suppressed,
      addresses.night,
    ])
      expect(await emailsTo(address), address).toHaveLength(0);
    const control = await api('GET', `/campaigns/${campaignId}/runs/${runId}/recipients?status=control`);
    expect(control.json.items.map((r: { profileId: string }) => r.profileId)).toEqual([ids.control]);
    const deferred = await api('GET', `/campaigns/${campaignId}/runs/${runId}/recipients?status=deferred`);
    expect(deferred.json.items).toHaveLength(1);
    const [held] = deferred.json.items;
    expect(held).toMatchObject({ profileId: ids.night, channel: 'email', reason: 'quiet_hours' });
    // Held until 08:00 on the recipient's clock, within the next 10 hours.
    const until = new Date(held.deferUntil);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    expect(until.getTime()).toBeLessThan(Date.now() + 10 * 3600_000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: night,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(until);
    expect(local).toBe('08:00');
  });

  it('a second run the same day skips whoever got a message today (frequency cap), the control member again', async () => {
    const fired = await api('POST', `/campaigns/${campaignId}/runs`);
    expect(fired.status, fired.text).toBe(202);
    const second = await settled(campaignId, fired.json.runId);
    expect(second.counts).toMatchObject({ sent: 0, control: 1, deferred: 1 });
    expect(second.counts.skippedByReason.frequency_capped).toBe(2);
    expect(await emailsTo(addresses.email)).toHaveLength(1);
    expect(await textsTo(addresses.sms)).toHaveLength(1);
    const runs = await api('GET', `/campaigns/${campaignId}/runs`);
    expect(runs.json.items.map((r: { runId: string }) => r.runId)).toEqual([fired.json.runId, runId]);
  });
});

describe('an A/B campaign', () => {
  it('sends each recipient the variant its record names, split by share', async () => {
    const vtag = unique('ab');
    const segment = await api('POST', '/segments', {
      body: { name: `${vtag} audience`, rule: { attribute: 'tags', op: 'contains', value: vtag } },
    });
    const variant = async (subject: string) => {
      const res = await api('POST', '/templates', {
        body: {
          name: `${vtag} ${subject}`,
          channel: 'email',
          subject,
          html: '<p>Hello</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
        },
      });
      expect(res.status, res.text).toBe(201);
      return res.json.template.templateId as string;
    };
    const [a, b] = [await variant('Subject A'), await variant('Subject B')];
    const day = dayZone();
    const people = Array.from({ length: 16 }, (_, i) => ({
      id: `${vtag}-${i}`,
      email: `${vtag}-${i}@example.com`,
    }));
    for (const p of people) {
      const res = await api('PUT', `/profiles/${p.id}`, {
        body: { email: p.email, consent: { email: consent('granted') }, timeZone: day, tags: [vtag] },
      });
      expect(res.status, res.text).toBe(201);
    }
    const created = await api('POST', '/campaigns', {
      body: {
        name: `${vtag} test`,
        segmentId: segment.json.segmentId,
        channel: 'email',
        variants: [
          { name: 'A', templateId: a, share: 0.5 },
          { name: 'B', templateId: b, share: 0.5 },
        ],
        schedule: { type: 'manual' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const campaignId = created.json.campaignId;
    const fired = await api('POST', `/campaigns/${campaignId}/runs`);
    expect(fired.status, fired.text).toBe(202);
    const run = await settled(campaignId, fired.json.runId);
    expect(run.counts.sent).toBe(16);
    const records = await api(
      'GET',
      `/campaigns/${campaignId}/runs/${fired.json.runId}/recipients?limit=100`,
    );
    const byVariant = { 0: 0, 1: 0 } as Record<number, number>;
    for (const p of people) {
      const record = records.json.items.find((r: { profileId: string }) => r.profileId === p.id);
      const mails = await emailsTo(p.email);
      expect(mails, p.email).toHaveLength(1);
      expect(mails[0]!.subject).toBe(record.variant === 0 ? 'Subject A' : 'Subject B');
      expect(record.templateId).toBe(record.variant === 0 ? a : b);
      byVariant[record.variant]!++;
    }
    // Both variants are used (16 recipients at 50/50: all in one has probability 2^-15).
    expect(byVariant[0]).toBeGreaterThan(0);
    expect(byVariant[1]).toBeGreaterThan(0);
    expect(run.counts.sentByVariant).toEqual({ '0': byVariant[0], '1': byVariant[1] });
  });
});

describe('a campaign at local time, paused and resumed', () => {
  // Concurrent with the recurring campaign below: both mostly wait for a clock.
  it.concurrent('holds each recipient until their local time, holds the run while paused, then sends each exactly once', async () => {
    const ptag = unique('paused');
    const segment = await api('POST', '/segments', {
      body: { name: `${ptag} audience`, rule: { attribute: 'tags', op: 'contains', value: ptag } },
    });
    const day = dayZone();
    const people = Array.from({ length: 12 }, (_, i) => `${ptag}-${i}@example.com`);
    for (const [i, email] of people.entries()) {
      const res = await api('PUT', `/profiles/${ptag}-${i}`, {
        body: { email, consent: { email: consent('granted') }, timeZone: day, tags: [ptag] },
      });
      expect(res.status, res.text).toBe(201);
    }
    // Two minutes from now on the recipients' clocks (at least 60 s away, to the minute).
    const sendAt = new Date(Date.now() + 120_000);
    const localTime = new Intl.DateTimeFormat('en-GB', {
      timeZone: day,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(sendAt);
    const created = await api('POST', '/campaigns', {
      body: {
        name: `${ptag} promo`,
        segmentId: segment.json.segmentId,
        channel: 'email',
        templateId: emailTemplate,
        offer: { prefix: 'PAUSE', validDays: 3 },
        localTime,
        schedule: { type: 'manual' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const campaignId = created.json.campaignId;
    const fired = await api('POST', `/campaigns/${campaignId}/runs`);
    expect(fired.status).toBe(202);
    const runId = fired.json.runId;
    const held = await settled(campaignId, runId);
    expect(held.counts).toMatchObject({ audience: 12, deferred: 12, sent: 0 });
    const deferred = await api('GET', `/campaigns/${campaignId}/runs/${runId}/recipients?status=deferred`);
    for (const r of deferred.json.items) expect(r).toMatchObject({ reason: 'local_time' });
    const due = new Date(deferred.json.items[0].deferUntil).getTime();
    expect(Math.abs(due - sendAt.getTime())).toBeLessThan(60_000);

    const paused = await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'pause' } });
    expect(paused.status, paused.text).toBe(200);
    expect((await api('POST', `/campaigns/${campaignId}/runs`)).status).toBe(409);
    // Past the local time, nothing goes out while the campaign is paused.
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()) + 5_000));
    expect((await Promise.all(people.map(emailsTo))).flat()).toHaveLength(0);

    expect(
      (await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'resume' } })).status,
    ).toBe(200);
    const run = await eventually(
      async () => {
        const res = (await runOf(campaignId, runId)).json;
        return res.counts.sent === 12 ? res : undefined;
      },
      90_000,
      'the resumed run to send',
    );
    expect(run.counts).toMatchObject({ audience: 12, sent: 12, skipped: 0, deferred: 0, inDoubt: 0 });
    for (const email of people) expect(await emailsTo(email), email).toHaveLength(1);
  }, 300_000);
});

describe('a recurring campaign', () => {
  it.concurrent('fires at its next cron time through the local Scheduler and sends once per firing', async () => {
    const rtag = unique('weekly');
    const segment = await api('POST', '/segments', {
      body: { name: `${rtag} audience`, rule: { attribute: 'tags', op: 'contains', value: rtag } },
    });
    const email = `${rtag}@example.com`;
    const put = await api('PUT', `/profiles/${rtag}-p`, {
      body: { email, consent: { email: consent('granted') }, tags: [rtag] },
    });
    expect(put.status, put.text).toBe(201);
    // Daily at the next whole minute at least 60 s away (UTC), so it fires within two minutes.
    const at = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
    const created = await api('POST', '/campaigns', {
      body: {
        name: `${rtag} daily`,
        segmentId: segment.json.segmentId,
        channel: 'email',
        templateId: emailTemplate,
        offer: { prefix: 'DAY', validDays: 1 },
        quietHours: false,
        schedule: {
          type: 'recurring',
          cron: `cron(${at.getUTCMinutes()} ${at.getUTCHours()} * * ? *)`,
          timeZone: 'UTC',
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const campaignId: string = created.json.campaignId;
    expect(created.json.nextFiringAt).toBe(at.toISOString());
    const runId = `run_${campaignId.slice(4)}_${at.toISOString().replace(/[-:]/g, '').replace('.000', '')}`;
    const run = await settled(campaignId, runId, 180_000);
    expect(run).toMatchObject({ trigger: 'schedule', scheduledTime: at.toISOString() });
    expect(run.counts).toMatchObject({ audience: 1, sent: 1 });
    expect(await emailsTo(email)).toHaveLength(1);
    const next = await api('GET', `/campaigns/${campaignId}`);
    expect(new Date(next.json.nextFiringAt).getTime() - at.getTime()).toBe(24 * 3600_000);
  }, 240_000);
});

describe('a once campaign', () => {
  it('runs at its time through the local Scheduler, its run named by the scheduled time', async () => {
    const otag = unique('once');
    const segment = await api('POST', '/segments', {
      body: { name: `${otag} audience`, rule: { attribute: 'tags', op: 'contains', value: otag } },
    });
    const phone = uniquePhone();
    const put = await api('PUT', `/profiles/${otag}-p`, {
      body: { phone, consent: { sms: consent('granted') }, tags: [otag] },
    });
    expect(put.status, put.text).toBe(201);
    const at = new Date(Date.now() + 3000);
    const wall = at.toISOString().slice(0, 19);
    const created = await api('POST', '/campaigns', {
      body: {
        name: `${otag} flash`,
        segmentId: segment.json.segmentId,
        channel: 'sms',
        templateId: smsTemplate,
        offer: { prefix: 'ONCE', validDays: 1 },
        quietHours: false,
        schedule: { type: 'once', at: `${wall}Z`, timeZone: 'UTC' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const campaignId: string = created.json.campaignId;
    const runId = `run_${campaignId.slice(4)}_${wall.replace(/[-:]/g, '')}Z`;
    const run = await settled(campaignId, runId);
    expect(run).toMatchObject({ trigger: 'schedule', scheduledTime: `${wall}.000Z` });
    expect(run.counts).toMatchObject({ audience: 1, sent: 1 });
    expect(await textsTo(phone)).toHaveLength(1);
  });
});
