import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { emailsTo, header, textsTo } from './mailbox';
import {
  api,
  documentClient,
  endpoints,
  eventually,
  functionLog,
  invoke,
  unique,
  uniquePhone,
} from './support';

const sendRecord = async (runId: string, profileId: string) =>
  (
    await documentClient().send(
      new GetCommand({
        TableName: endpoints().tables.jobs!,
        Key: { pk: `RUN#${runId}`, sk: `SEND#${profileId}` },
      }),
    )
  ).Item;

const DAY = 24 * 3600 * 1000;
const longAgo = new Date(Date.now() - 400 * DAY).toISOString();
const recently = new Date(Date.now() - 10 * DAY).toISOString();
const consent = (status: string) => ({ status, source: 'web-form', timestamp: '2024-01-01T00:00:00Z' });

describe('scheduled reactivation', () => {
  const id = unique('react');
  const people = {
    emailable: {
      id: `${id}-a`,
      email: `${id}-a@example.com`,
      firstName: '<b>Zoë & "Co"</b>',
      consent: { email: consent('granted') },
      lastPurchaseAt: longAgo,
    },
    textable: {
      id: `${id}-b`,
      phone: uniquePhone(),
      firstName: 'Ben',
      consent: { sms: consent('granted') },
      lastActivityAt: longAgo,
    },
    noConsent: { id: `${id}-c`, email: `${id}-c@example.com`, lastPurchaseAt: longAgo },
    active: {
      id: `${id}-d`,
      email: `${id}-d@example.com`,
      consent: { email: consent('granted') },
      lastPurchaseAt: recently,
    },
    optedOut: {
      id: `${id}-e`,
      phone: uniquePhone(),
      consent: { sms: consent('granted') },
      lastPurchaseAt: longAgo,
    },
    unsubscribed: {
      id: `${id}-f`,
      email: `${id}-f@example.com`,
      consent: { email: consent('unsubscribed') },
      lastPurchaseAt: longAgo,
    },
  };
  const firstRunTime = new Date(Date.now() - 60_000).toISOString();
  let firstRun: { runId: string; counts: Record<string, unknown> };
  let logged = '';

  beforeAll(async () => {
    for (const { id: profileId, ...body } of Object.values(people)) {
      const res = await api('PUT', `/profiles/${profileId}`, { body });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
    // The customer replied STOP to an earlier text.
    const stop = await fetch(`${endpoints().smsUrl}/opt-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: people.optedOut.phone }),
    });
    expect(stop.ok).toBe(true);
    // Everything the run logs (its log file), to check that no email address or phone number leaks.
    const before = functionLog('run-reactivation').size;
    firstRun = await invoke('run-reactivation', { campaign: 'reactivation', scheduledTime: firstRunTime });
    // The container's output reaches the file just after the result: wait for the run's last line.
    logged = await eventually(
      async () => {
        const { text } = functionLog('run-reactivation', before);
        return text.includes('reactivation run finished') ? text : undefined;
      },
      10_000,
      'the run to be logged',
    );
  });

  it('logs the run without any email address or phone number', () => {
    expect(logged).toContain(firstRun.runId);
    for (const p of Object.values(people)) {
      if ('email' in p) expect(logged).not.toContain(p.email);
      if ('phone' in p) expect(logged).not.toContain(p.phone);
    }
    expect(logged).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('emails the lapsed customer with email consent, with unsubscribe headers and escaped personalisation', async () => {
    const emails = await emailsTo(people.emailable.email);
    expect(emails).toHaveLength(1);
    const email = emails[0]!;
    expect(email.subject).toBe('We miss you, <b>Zoë & "Co"</b>');
    expect(email.body.html).toContain('Hi &lt;b&gt;Zoë &amp; &quot;Co&quot;&lt;/b&gt;,');
    expect(email.body.html).not.toContain('<b>Zoë');
    expect(header(email, 'List-Unsubscribe')).toMatch(
      new RegExp(`^<${endpoints().apiUrl}/unsubscribe\\?token=[\\w-]+\\.[\\w-]+>$`),
    );
    expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('texts the lapsed customer who has only a phone, as Promotional, and skips the opted-out number', async () => {
    const texts = await textsTo(people.textable.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.message).toMatch(/^Hi Ben, we miss you!.*Reply STOP to opt out\.$/);
    expect(texts[0]!.messageAttributes['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Promotional');
    expect(await textsTo(people.optedOut.phone)).toHaveLength(0);
  });

  it('records one outcome per profile and reports the counts', async () => {
    const outcomes = Object.fromEntries(
      await Promise.all(
        Object.entries(people).map(async ([name, p]) => {
          const r = await sendRecord(firstRun.runId, p.id);
          return [
            name,
            r
              ? `${r.status}${r.reason ? `:${r.reason}` : ''}${r.channel && r.status === 'sent' ? `:${r.channel}` : ''}`
              : 'none',
          ];
        }),
      ),
    );
    expect(outcomes).toEqual({
      emailable: 'sent:email',
      textable: 'sent:sms',
      noConsent: 'skipped:no_consent',
      active: 'none',
      optedOut: 'skipped:sms_opted_out',
      unsubscribed: 'skipped:unsubscribed',
    });
    const run = await api('GET', `/runs/${firstRun.runId}`);
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ runId: firstRun.runId, status: 'completed', attempts: 1 });
    // This file's stage holds only its own profiles: five lapsed (active is not), two reachable.
    expect(run.json.counts).toMatchObject({
      sent: 2,
      failed: 0,
      inDoubt: 0,
      sentByChannel: { email: 1, sms: 1 },
    });
    expect(run.json.counts.selected).toBe(
      run.json.counts.sent + run.json.counts.skipped + run.json.counts.failed,
    );
    expect(run.json.counts).toMatchObject({ selected: 5, skipped: 3 });
    expect(run.json.counts.skippedByReason).toEqual({ no_consent: 1, sms_opted_out: 1, unsubscribed: 1 });
    expect((await api('GET', '/runs/reactivation-19990101T000000Z')).status).toBe(404);
  });

  it('never sends twice: not on a redelivered firing of the same run, not on the next run', async () => {
    const retried = await invoke('run-reactivation', {
      campaign: 'reactivation',
      scheduledTime: firstRunTime,
    });
    expect(retried.runId).toBe(firstRun.runId);
    expect(retried.counts.sent).toBe(2);
    const next = await invoke('run-reactivation', {
      campaign: 'reactivation',
      scheduledTime: new Date().toISOString(),
    });
    expect(next.runId).not.toBe(firstRun.runId);
    expect(next.counts.sent).toBe(0);
    expect((await sendRecord(next.runId, people.emailable.id))?.reason).toBe('recently_contacted');
    expect((await sendRecord(next.runId, people.textable.id))?.reason).toBe('recently_contacted');
    expect(await emailsTo(people.emailable.email)).toHaveLength(1);
    expect(await textsTo(people.textable.phone)).toHaveLength(1);
    expect((await api('GET', `/runs/${firstRun.runId}`)).json.attempts).toBe(2);
  });

  it('takes continuations from its queue, and a late one of a finished run changes nothing', async () => {
    const sqs = new SQSClient({
      endpoint: endpoints().sqsEndpoint,
      region: endpoints().region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const before = functionLog('run-reactivation').size;
    const runBefore = (await api('GET', `/runs/${firstRun.runId}`)).json;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: endpoints().queues['campaignRuns']!,
        MessageBody: JSON.stringify({
          rekindleCampaignRun: { runId: firstRun.runId, scheduledTime: firstRunTime },
        }),
      }),
    );
    // Delivered by the event source mapping to the function, which finds the run over.
    await eventually(
      async () => (functionLog('run-reactivation', before).text.includes('nothing-to-do') ? true : undefined),
      20_000,
      'the continuation to be handled',
    );
    expect((await api('GET', `/runs/${firstRun.runId}`)).json).toEqual(runBefore);
    expect(await emailsTo(people.emailable.email)).toHaveLength(1);
    sqs.destroy();
  });

  it('unsubscribes with the one-click link, and refuses a forged one', async () => {
    const email = (await emailsTo(people.emailable.email))[0]!;
    const url = header(email, 'List-Unsubscribe')!.slice(1, -1);
    const token = new URL(url).searchParams.get('token')!;

    // The confirmation page does not unsubscribe by itself (mail scanners prefetch links).
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await api('GET', `/profiles/${people.emailable.id}`)).json.consent.email.status).toBe('granted');

    // Forged: the claim rewritten to another profile, the signature kept.
    const [, signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ p: people.noConsent.id, c: 'email', r: firstRun.runId }),
    ).toString('base64url');
    const before = (await api('GET', `/profiles/${people.noConsent.id}`)).json;
    const forged = await fetch(`${endpoints().apiUrl}/unsubscribe?token=${forgedPayload}.${signature}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect((await api('GET', `/profiles/${people.noConsent.id}`)).json).toEqual(before);

    // RFC 8058 one-click, as a mailbox provider sends it.
    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const after = (await api('GET', `/profiles/${people.emailable.id}`)).json;
    expect(after.consent.email).toMatchObject({
      status: 'unsubscribed',
      source: `unsubscribe-link:${firstRun.runId}`,
    });
    // A second click changes nothing.
    expect((await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    expect((await api('GET', `/profiles/${people.emailable.id}`)).json.version).toBe(after.version);
  });
});
