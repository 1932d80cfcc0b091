import { describe, expect, it } from 'vitest';
import type { CampaignStatus } from '../campaigns/campaign';
import type { ContactLog } from '../campaigns/frequency-cap';
import type { OutgoingEmail } from '../channels/email-sender';
import { PermanentSendError, RetryableSendError, UncertainSendError } from '../channels/send-errors';
import type { Profile } from '../profiles/profile';
import type { Template } from '../templates/template';
import { InMemoryRunStore } from './in-memory-run-store.test-helpers';
import { EMPTY_SELECTION, type Run } from './run';
import type { SendBatchMessage } from './run-messages';
import { QUOTA_RETRY_MS, type SendBatchDeps, sendBatch } from './send-batch';

const NOW = new Date('2026-12-02T12:00:00Z');
const template: Template = {
  templateId: 'tpl_mail',
  version: 2,
  name: 'mail',
  channel: 'email',
  kind: 'marketing',
  subject: 'Hi {{ profile.firstName | default: "there" }}',
  html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
} as Template;

const run: Run = {
  runId: 'run_spring_20261202T120000Z',
  campaignId: 'cmp_spring',
  campaignName: 'Spring',
  campaignVersion: 1,
  trigger: 'manual',
  scheduledTime: NOW.toISOString(),
  startedAt: NOW.toISOString(),
  status: 'sending',
  createdAt: NOW.toISOString(),
  channel: 'email',
  definition: {
    name: 'Spring',
    segmentId: 'seg_all',
    channel: 'email',
    kind: 'marketing',
    templateId: 'tpl_mail',
    schedule: { type: 'manual' },
    quietHours: false,
  },
  templates: [{ variant: 0, channel: 'email', templateId: 'tpl_mail', version: 2 }],
  selection: { ...EMPTY_SELECTION, audience: 3, queued: 3, batches: 1 },
  invocations: 1,
};

const person = (i: number): Profile =>
  ({
    profileId: `p${i}`,
    email: `p${i}@example.com`,
    timeZone: 'UTC',
    consent: { email: { status: 'granted', source: 'web', timestamp: '2024-01-01T00:00:00Z' } },
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    provenance: { kind: 'internal', source: 'test' },
  }) as Profile;

const message: SendBatchMessage = {
  runId: run.runId,
  campaignId: run.campaignId,
  batch: '0.1.0',
  profileIds: ['p0', 'p1', 'p2'],
};

const setup = (options: {
  send?: (email: OutgoingEmail, attempt: number) => Promise<{ messageId: string }>;
  status?: CampaignStatus;
  dailyRemaining?: number;
  now?: Date;
}) => {
  const store = new InMemoryRunStore();
  store.runs.set(run.runId, run);
  const profiles = new Map([0, 1, 2].map((i) => [`p${i}`, person(i)]));
  const logs = new Map<string, ContactLog>();
  const sent: OutgoingEmail[] = [];
  const requeued: { message: SendBatchMessage; delaySeconds: number }[] = [];
  const attempts = new Map<string, number>();
  const deps: SendBatchDeps = {
    runs: store,
    campaignStatus: async () => options.status ?? 'active',
    profiles: {
      getMany: async (ids) =>
        new Map(
          ids
            .filter((id) => profiles.has(id))
            .map((id) => [
              id,
              { ...profiles.get(id)!, ...(logs.has(id) ? { contactLog: logs.get(id) } : {}) },
            ]),
        ),
      writeContactLog: async (id, log, previous) => {
        if ((logs.get(id)?.version ?? 0) !== previous) return false;
        logs.set(id, log);
        return true;
      },
    },
    suppressedOf: async () => new Set(),
    smsOptedOut: async () => new Set(),
    templates: {
      getVersion: async (id, version) => (id === 'tpl_mail' && version === 2 ? template : undefined),
    },
    rate: {
      acquire: async (_channel, wanted) => ({ window: Math.floor(Date.now() / 1000), granted: wanted }),
    },
    dailyQuota: { remaining: async () => options.dailyRemaining ?? 1000, spend: () => undefined },
    email: {
      send: async (email) => {
        const attempt = (attempts.get(email.to) ?? 0) + 1;
        attempts.set(email.to, attempt);
        const result = options.send ? await options.send(email, attempt) : { messageId: `m-${email.to}` };
        sent.push(email);
        return result;
      },
    },
    sms: { send: async () => ({ messageId: 'sms' }), optedOutNumbers: async () => new Set() },
    requeue: async (m, delaySeconds) => {
      requeued.push({ message: m, delaySeconds });
    },
    links: {
      unsubscribeUrl: (c) => `https://x.test/u?p=${c.profileId}`,
      preferencesUrl: (c) => `https://x.test/p?p=${c.profileId}`,
      fromAddress: 'Shop <hello@shop.example>',
    },
    settings: {
      globalFrequencyCap: { perDay: 1, perWeek: 3 },
      defaultQuietHours: false,
      globalControlShare: 0,
      businessTimeZone: 'UTC',
    },
    now: () => options.now ?? NOW,
    backoffMs: 1,
  };
  const status = async (id: string) => (await store.records(run.runId, [id])).get(id);
  return { deps, store, sent, requeued, status, logs };
};

describe('sendBatch', () => {
  it('sends each recipient once, tagged and with one-click unsubscribe, and counts the batch', async () => {
    const t = setup({});
    await sendBatch(t.deps, message);
    await sendBatch(t.deps, message); // redelivered: nothing more
    expect(t.sent.map((e) => e.to)).toEqual(['p0@example.com', 'p1@example.com', 'p2@example.com']);
    expect(t.sent[0]!.tags).toEqual({ campaign: 'cmp_spring', run: run.runId, variant: '0', profile: 'p0' });
    expect(t.sent[0]!.headers['List-Unsubscribe']).toBe('<https://x.test/u?p=p0>');
    expect(t.sent[0]!.headers['List-Id']).toBe('"Spring" <cmp-spring.shop.example>');
    expect(await t.status('p0')).toMatchObject({
      status: 'sent',
      messageId: 'm-p0@example.com',
      templateVersion: 2,
    });
    expect(await t.store.countsOf(run.runId)).toMatchObject({ sent: 3, 'sent:email:0': 3 });
  });

  it('retries throttling and sends once; persistent throttling waits on the queue, neither sent nor failed', async () => {
    const t = setup({
      send: async (email, attempt) => {
        if (email.to === 'p0@example.com' && attempt < 3)
          throw new RetryableSendError('TooManyRequestsException');
        if (email.to === 'p1@example.com') throw new RetryableSendError('TooManyRequestsException');
        return { messageId: `m-${email.to}-${attempt}` };
      },
    });
    await sendBatch(t.deps, message);
    expect(await t.status('p0')).toMatchObject({ status: 'sent', messageId: 'm-p0@example.com-3' });
    expect(await t.status('p1')).toMatchObject({ status: 'deferred', reason: 'throttled' });
    expect(t.requeued).toEqual([
      { message: { ...message, only: ['p1'], notBefore: expect.any(String) }, delaySeconds: 60 },
    ]);
  });

  it('records in doubt, never retried, a send that ended without a clear answer; failed when refused', async () => {
    const t = setup({
      send: async (email) => {
        if (email.to === 'p0@example.com') throw new UncertainSendError('TimeoutError');
        if (email.to === 'p1@example.com') throw new PermanentSendError('MessageRejected');
        return { messageId: 'ok' };
      },
    });
    await sendBatch(t.deps, message);
    expect(await t.status('p0')).toMatchObject({ status: 'in_doubt', reason: 'TimeoutError' });
    expect(await t.status('p1')).toMatchObject({ status: 'failed', reason: 'MessageRejected' });
    await sendBatch(t.deps, message);
    expect(t.sent.filter((e) => e.to === 'p0@example.com')).toHaveLength(0);
  });

  it('holds what the day’s quota cannot take for 15 minutes', async () => {
    const t = setup({ dailyRemaining: 1 });
    await sendBatch(t.deps, message);
    expect(t.sent).toHaveLength(1);
    const held = await t.status('p2');
    expect(held).toMatchObject({ status: 'deferred', reason: 'daily_quota' });
    expect(new Date(held!.deferUntil!).getTime()).toBe(NOW.getTime() + QUOTA_RETRY_MS);
  });

  it('puts a paused campaign’s batch back on the queue and skips a cancelled one’s recipients', async () => {
    const paused = setup({ status: 'paused' });
    expect(await sendBatch(paused.deps, message)).toMatchObject({ outcome: 'waiting', reason: 'paused' });
    expect(paused.requeued).toEqual([{ message, delaySeconds: 60 }]);
    expect(await paused.status('p0')).toBeUndefined();
    const cancelled = setup({ status: 'cancelled' });
    await sendBatch(cancelled.deps, message);
    expect(cancelled.sent).toHaveLength(0);
    expect(await cancelled.status('p0')).toMatchObject({ status: 'skipped', reason: 'cancelled' });
  });

  it('counts the frequency cap across campaigns: a customer sent today by another campaign is skipped', async () => {
    const t = setup({});
    t.logs.set('p0', {
      version: 1,
      email: [{ at: NOW.getTime() - 3600_000, campaignId: 'cmp_other' }],
      sms: [],
    });
    await sendBatch(t.deps, message);
    expect(await t.status('p0')).toMatchObject({
      status: 'skipped',
      reason: 'frequency_capped',
      cap: 'perDay',
    });
    expect(t.logs.get('p1')?.email).toEqual([{ at: NOW.getTime(), campaignId: 'cmp_spring' }]);
  });

  it('puts back, unclaimed, what it has no time left to send', async () => {
    const t = setup({});
    let calls = 0;
    const deps = { ...t.deps, inFlight: 1, remainingMs: () => (calls++ < 1 ? 60_000 : 5_000) };
    const outcome = await sendBatch(deps, message);
    expect(t.sent.map((e) => e.to)).toEqual(['p0@example.com']);
    expect(outcome).toMatchObject({ sent: 1, requeued: 2 });
    expect(t.requeued).toEqual([{ message: { ...message, only: ['p1', 'p2'] }, delaySeconds: 0 }]);
    expect(await t.status('p1')).toBeUndefined();
    await sendBatch(t.deps, { ...message, only: ['p1', 'p2'] });
    expect(await t.store.countsOf(run.runId)).toMatchObject({ sent: 3 });
  });

  it('waits for a deferral’s time before it looks, and marks a dead claim in doubt', async () => {
    const t = setup({});
    const later = { ...message, only: ['p0'], notBefore: new Date(NOW.getTime() + 3600_000).toISOString() };
    expect(await sendBatch(t.deps, later)).toMatchObject({ outcome: 'waiting', reason: 'not_due' });
    expect(t.requeued[0]!.delaySeconds).toBe(900);
    await t.store.put(
      {
        runId: run.runId,
        profileId: 'p1',
        batch: message.batch,
        status: 'sending',
        claimId: 'dead',
        claimedAt: new Date(NOW.getTime() - 600_000).toISOString(),
        at: NOW.toISOString(),
        step: 1,
      },
      { absent: true },
    );
    await sendBatch(t.deps, message);
    expect(await t.status('p1')).toMatchObject({ status: 'in_doubt', step: 2 });
    expect(t.sent.map((e) => e.to)).toEqual(['p0@example.com', 'p2@example.com']);
    expect(await t.store.countsOf(run.runId)).toMatchObject({ sent: 2, in_doubt: 1 });
  });
});
