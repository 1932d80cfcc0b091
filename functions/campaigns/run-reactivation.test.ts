import { describe, expect, it } from 'vitest';
import type { EmailSender, OutgoingEmail } from '../channels/email-sender';
import { RetryableSendError } from '../channels/send-errors';
import type { SmsSender } from '../channels/sms-sender';
import type { Profile } from '../profiles/profile';
import { replaceProfile } from '../profiles/profile-changes';
import type { ProfileTable } from '../profiles/profile-store';
import { reactivationRunId, runReactivation } from './run-reactivation';
import type { RunRecord, SendRecord } from './run-record';
import type { RunStore } from './run-store';

/** In-memory stores with the same conditional semantics as the DynamoDB adapters. */
const memoryRuns = (): RunStore & { records: Map<string, SendRecord> } => {
  const runs = new Map<string, RunRecord>();
  const records = new Map<string, SendRecord>();
  const key = (r: { runId: string; profileId: string }) => `${r.runId}/${r.profileId}`;
  return {
    records,
    begin: async (run) => {
      const existing = runs.get(run.runId);
      const next = existing ? { ...existing, attempts: existing.attempts + 1 } : run;
      runs.set(run.runId, next);
      return next;
    },
    claim: async (record) => {
      const existing = records.get(key(record));
      if (existing && !(existing.status === 'failed' && existing.retryable)) return false;
      records.set(key(record), record);
      return true;
    },
    settle: async (record) => {
      records.set(key(record), record);
    },
    sends: async (runId) => [...records.values()].filter((r) => r.runId === runId),
    finish: async (run) => {
      runs.set(run.runId, run);
    },
    get: async (runId) => runs.get(runId),
  };
};

const memoryProfiles = (
  profiles: Profile[],
): Pick<ProfileTable, 'get' | 'scanAttributes' | 'markReactivated'> => ({
  scanAttributes: async <K extends keyof Profile>(
    attributes: readonly K[],
    onPage: (page: Pick<Profile, K>[]) => void | Promise<void>,
  ) => {
    const pick = (p: Profile) =>
      Object.fromEntries(attributes.flatMap((a) => (a in p ? [[a, p[a]]] : []))) as Pick<Profile, K>;
    await onPage(profiles.slice(0, 1).map(pick));
    await onPage(profiles.slice(1).map(pick));
  },
  get: async (profileId: string) => profiles.find((p) => p.profileId === profileId),
  markReactivated: async (profileId: string, at: string) => {
    const i = profiles.findIndex((p) => p.profileId === profileId);
    profiles[i] = { ...profiles[i]!, lastReactivationAt: at };
  },
});

const lapsedWithEmail = (id: string): Profile =>
  replaceProfile(
    id,
    {
      email: `${id}@example.com`,
      lastPurchaseAt: '2024-01-01T00:00:00Z',
      consent: { email: { status: 'granted', source: 'web', timestamp: '2024-01-01T00:00:00Z' } },
    },
    undefined,
    '2024-01-01T00:00:00Z',
  );

const noSms: SmsSender = { send: async () => ({ messageId: 'x' }), optedOutNumbers: async () => new Set() };
const scheduledTime = '2026-11-25T10:00:00Z';
const input = { runId: reactivationRunId(scheduledTime), scheduledTime };
const rules = { lapsedDays: 180, cooldownDays: 30 };

const deps = (email: EmailSender, profiles: Profile[], runs = memoryRuns()) => ({
  runs,
  deps: {
    profiles: memoryProfiles(profiles),
    runs,
    email,
    sms: noSms,
    unsubscribeSecret: 'secret',
    publicApiUrl: 'https://api.example.com/',
    copy: { subjectTemplate: 'Hi {{firstName}}', offer: 'Offer' },
    now: () => new Date('2026-11-25T10:00:05Z'),
    backoffMs: 1,
  },
});

describe('runReactivation', () => {
  it('names the run after its scheduled time', () => {
    expect(input.runId).toBe('reactivation-20261125T100000Z');
  });

  it('tags every email with campaign, run and profile, and adds one-click unsubscribe headers', async () => {
    const sent: OutgoingEmail[] = [];
    const { deps: d } = deps(
      {
        send: async (e) => {
          sent.push(e);
          return { messageId: 'm1' };
        },
      },
      [lapsedWithEmail('p1')],
    );
    const run = await runReactivation(d, input, rules);
    expect(run.counts).toMatchObject({ selected: 1, sent: 1 });
    expect(sent[0]!.tags).toEqual({ campaign: 'reactivation', run: input.runId, profile: 'p1' });
    expect(sent[0]!.headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/api\.example\.com\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
    );
    expect(sent[0]!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('counts lapsed profiles without any email or phone without writing a record for each, on every attempt', async () => {
    const noContact = replaceProfile(
      'p2',
      { externalId: 'store-42', lastPurchaseAt: '2023-05-01T00:00:00Z' },
      undefined,
      '2024-01-01T00:00:00Z',
    );
    const { deps: d, runs } = deps({ send: async () => ({ messageId: 'm1' }) }, [
      lapsedWithEmail('p1'),
      noContact,
    ]);
    const expected = { selected: 2, sent: 1, skipped: 1, skippedByReason: { no_contact_point: 1 } };
    expect((await runReactivation(d, input, rules)).counts).toMatchObject(expected);
    expect([...runs.records.values()].map((r) => `${r.profileId}:${r.status}`)).toEqual(['p1:sent']);
    // A redelivered firing of the same run decides everyone again and reports the same counts.
    const again = await runReactivation(d, input, rules);
    expect(again).toMatchObject({ attempts: 2, counts: expected });
  });

  it('checks consent again on the whole profile just before sending', async () => {
    const sent: OutgoingEmail[] = [];
    const profiles = [lapsedWithEmail('p1')];
    const email: EmailSender = {
      send: async (e) => {
        sent.push(e);
        return { messageId: 'm1' };
      },
    };
    const { deps: d, runs } = deps(email, profiles);
    const scan = d.profiles.scanAttributes.bind(d.profiles);
    d.profiles.scanAttributes = (attributes, onPage) =>
      scan(attributes, (page) => {
        // The customer unsubscribes right after the scan read them.
        profiles[0] = {
          ...profiles[0]!,
          consent: { email: { status: 'unsubscribed', source: 'link', timestamp: '2026-11-25T10:00:01Z' } },
        };
        return onPage(page);
      });
    const run = await runReactivation(d, input, rules);
    expect(sent).toEqual([]);
    expect(run.counts).toMatchObject({ sent: 0, skipped: 1, skippedByReason: { unsubscribed: 1 } });
    expect(runs.records.get(`${input.runId}/p1`)).toMatchObject({
      status: 'skipped',
      reason: 'unsubscribed',
    });
  });

  it('retries a throttled send and counts it once', async () => {
    let calls = 0;
    const { deps: d } = deps(
      {
        send: async () => {
          calls++;
          if (calls < 3) throw new RetryableSendError('TooManyRequestsException');
          return { messageId: 'm1' };
        },
      },
      [lapsedWithEmail('p1')],
    );
    const run = await runReactivation(d, input, rules);
    expect(calls).toBe(3);
    expect(run.counts).toMatchObject({ sent: 1, failed: 0 });
  });

  it('never counts a send that stayed throttled as sent, and the next attempt of the run retries it', async () => {
    const profiles = [lapsedWithEmail('p1')];
    let throttled = true;
    let delivered = 0;
    const email: EmailSender = {
      send: async () => {
        if (throttled) throw new RetryableSendError('TooManyRequestsException');
        delivered++;
        return { messageId: 'm1' };
      },
    };
    const { deps: d, runs } = deps(email, profiles);
    const first = await runReactivation(d, input, rules);
    expect(first.counts).toMatchObject({ sent: 0, failed: 1 });
    expect(delivered).toBe(0);
    throttled = false;
    const second = await runReactivation({ ...d, runs }, input, rules);
    expect(second.counts).toMatchObject({ sent: 1, failed: 0 });
    const third = await runReactivation({ ...d, runs }, input, rules);
    expect(third.counts).toMatchObject({ sent: 1 });
    expect(delivered).toBe(1);
  });

  it('does not resend a message whose earlier attempt died after claiming it (at most once)', async () => {
    const runs = memoryRuns();
    await runs.claim({ runId: input.runId, profileId: 'p1', status: 'pending', channel: 'email', at: 'x' });
    let delivered = 0;
    const { deps: d } = deps(
      {
        send: async () => {
          delivered++;
          return { messageId: 'm' };
        },
      },
      [lapsedWithEmail('p1')],
      runs,
    );
    const run = await runReactivation(d, input, rules);
    expect(delivered).toBe(0);
    expect(run.counts).toMatchObject({ inDoubt: 1, sent: 0 });
  });
});
