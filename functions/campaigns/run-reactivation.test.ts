import { describe, expect, it } from 'vitest';
import type { EmailSender, OutgoingEmail } from '../channels/email-sender';
import { RetryableSendError } from '../channels/send-errors';
import type { SmsSender } from '../channels/sms-sender';
import type { Profile } from '../profiles/profile';
import { replaceProfile } from '../profiles/profile-changes';
import { InMemoryCampaignRunStore, inMemoryProfileTable } from './in-memory-campaign-stores.test-helpers';
import { reactivationRunId, runReactivation } from './run-reactivation';

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

const deps = (email: EmailSender, profiles: Profile[], runs = new InMemoryCampaignRunStore()) => ({
  runs,
  deps: {
    profiles: inMemoryProfileTable(profiles),
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

/** One invocation that must finish the run; its record. */
const runToEnd = async (...args: Parameters<typeof runReactivation>) => {
  const step = await runReactivation(...args);
  if (step.outcome !== 'finished') throw new Error(`expected the run to finish, got ${step.outcome}`);
  return step.run;
};

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
    const run = await runToEnd(d, input, rules);
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
    expect((await runToEnd(d, input, rules)).counts).toMatchObject(expected);
    expect([...runs.records.values()].map((r) => `${r.profileId}:${r.status}`)).toEqual(['p1:sent']);
    // A redelivered firing of the same run decides everyone again and reports the same counts.
    const again = await runToEnd(d, input, rules);
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
    d.profiles.scanAttributes = (attributes, onPage, options) =>
      scan(
        attributes,
        (page, after) => {
          // The customer unsubscribes right after the scan read them.
          profiles[0] = {
            ...profiles[0]!,
            consent: { email: { status: 'unsubscribed', source: 'link', timestamp: '2026-11-25T10:00:01Z' } },
          };
          return onPage(page, after);
        },
        options,
      );
    const run = await runToEnd(d, input, rules);
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
    const run = await runToEnd(d, input, rules);
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
    const first = await runToEnd(d, input, rules);
    expect(first.counts).toMatchObject({ sent: 0, failed: 1 });
    expect(delivered).toBe(0);
    throttled = false;
    const second = await runToEnd({ ...d, runs }, input, rules);
    expect(second.counts).toMatchObject({ sent: 1, failed: 0 });
    const third = await runToEnd({ ...d, runs }, input, rules);
    expect(third.counts).toMatchObject({ sent: 1 });
    expect(delivered).toBe(1);
  });

  it('does not resend a message whose earlier attempt died after claiming it (at most once)', async () => {
    const runs = new InMemoryCampaignRunStore();
    await runs.claimSend({
      runId: input.runId,
      profileId: 'p1',
      status: 'pending',
      channel: 'email',
      at: 'x',
    });
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
    const run = await runToEnd(d, input, rules);
    expect(delivered).toBe(0);
    expect(run.counts).toMatchObject({ inDoubt: 1, sent: 0 });
  });

  it('hands over near the time limit and the continuation reads on, messaging everyone exactly once', async () => {
    const profiles = Array.from({ length: 9 }, (_, i) => lapsedWithEmail(`p${i}`));
    // Three without any contact point: counted once, whichever invocation scans them.
    for (const i of [2, 5, 7]) {
      const { email: _email, consent: _consent, ...rest } = profiles[i]!;
      profiles[i] = { ...rest, externalId: `store-${i}` } as Profile;
    }
    const sent: string[] = [];
    const runs = new InMemoryCampaignRunStore();
    const table = inMemoryProfileTable(profiles, { segments: 2 });
    const continuations: unknown[] = [];
    const email: EmailSender = {
      send: async (e) => {
        sent.push(e.to);
        return { messageId: `m${sent.length}` };
      },
    };
    const base = {
      ...deps(email, profiles, runs).deps,
      profiles: table,
      pageSize: 1,
      continueLater: async (message: unknown) => void continuations.push(message),
    };
    // Time runs short after the third message of the first invocation.
    const first = await runReactivation(
      { ...base, owner: 'invocation-1', remainingMs: () => (sent.length >= 3 ? 1_000 : 900_000) },
      input,
      rules,
    );
    expect(first.outcome).toBe('continued');
    expect(continuations).toEqual([{ rekindleCampaignRun: input }]);
    const paused = (await runs.get(input.runId))!;
    expect(paused.status).toBe('running');
    expect(paused.checkpoint?.segments).toHaveLength(2);
    expect(sent.length).toBeLessThan(6);

    let steps = 1;
    let step = first;
    while (step.outcome === 'continued') {
      steps++;
      const budget = sent.length + 2; // each continuation gets time for about two more messages
      step = await runReactivation(
        {
          ...base,
          owner: `invocation-${steps}`,
          remainingMs: () => (sent.length >= budget ? 1_000 : 900_000),
        },
        { ...input, continuation: true },
        rules,
      );
    }
    expect(step.outcome).toBe('finished');
    expect(steps).toBeGreaterThan(2);
    expect(sent.sort()).toEqual(['p0', 'p1', 'p3', 'p4', 'p6', 'p8'].map((id) => `${id}@example.com`).sort());
    const done = (await runs.get(input.runId))!;
    expect(done).toMatchObject({ status: 'completed', attempts: 1, invocations: steps });
    expect(done.checkpoint).toBeUndefined();
    expect(done.counts).toMatchObject({
      selected: 9,
      sent: 6,
      skipped: 3,
      skippedByReason: { no_contact_point: 3 },
    });
    // A late duplicate of a continuation finds the run over and does nothing.
    expect(
      await runReactivation({ ...base, owner: 'late' }, { ...input, continuation: true }, rules),
    ).toMatchObject({
      outcome: 'nothing-to-do',
    });
    expect(sent).toHaveLength(6);
  });

  it('resumes a crashed invocation from its last checkpoint, without a second message to anyone', async () => {
    const profiles = Array.from({ length: 4 }, (_, i) => lapsedWithEmail(`p${i}`));
    const runs = new InMemoryCampaignRunStore();
    const sent: string[] = [];
    const email: EmailSender = {
      send: async (e) => {
        sent.push(e.to);
        return { messageId: 'm' };
      },
    };
    const table = inMemoryProfileTable(profiles);
    const markReactivated = table.markReactivated;
    // The invocation dies right after the third message went out, before its page was checkpointed.
    table.markReactivated = async (profileId, at) => {
      if (profileId === 'p2') throw new Error('the invocation died here');
      return markReactivated(profileId, at);
    };
    const base = { ...deps(email, profiles, runs).deps, profiles: table, pageSize: 1 };
    await expect(runReactivation({ ...base, owner: 'a' }, input, rules)).rejects.toThrow('died here');
    expect((await runs.get(input.runId))?.checkpoint?.segments).toEqual([
      { next: { at: 2 }, done: false, noContactPoint: 0 },
    ]);
    table.markReactivated = markReactivated;
    const pagesBefore = table.pagesRead;
    // The redelivered firing claims at once (the dying invocation released the run) and reads on
    // from the checkpoint: the page of p2 again (its message is recorded: not sent again), then p3.
    const again = await runReactivation({ ...base, owner: 'b' }, input, rules);
    expect(again.outcome).toBe('finished');
    expect(table.pagesRead - pagesBefore).toBe(2);
    expect(sent).toEqual(['p0', 'p1', 'p2', 'p3'].map((id) => `${id}@example.com`));
    expect((await runs.get(input.runId))?.counts).toMatchObject({ selected: 4, sent: 4 });
  });

  it('waits while another invocation holds the run', async () => {
    const runs = new InMemoryCampaignRunStore();
    const { deps: d } = deps({ send: async () => ({ messageId: 'm' }) }, [lapsedWithEmail('p1')], runs);
    await runs.claim(input.runId, 'someone-else', 600_000, {
      runId: input.runId,
      campaign: 'reactivation',
      status: 'running',
      scheduledTime: input.scheduledTime,
      startedAt: '2026-11-25T10:00:00Z',
      attempts: 1,
      rules,
    });
    expect(await runReactivation({ ...d, owner: 'me' }, input, rules)).toEqual({
      outcome: 'busy',
      runId: input.runId,
    });
  });
});
