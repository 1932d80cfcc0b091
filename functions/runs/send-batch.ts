import { randomUUID } from 'node:crypto';
import type { CampaignStatus } from '../campaigns/campaign';
import {
  type CampaignSettings,
  type MessageChannel,
  type RecipientDecision,
  recipientDecision,
  recipientRules,
} from '../campaigns/recipient-decision';
import type { SuppressedOf } from '../segments/preview-segment';
import type { ProfileItem } from '../segments/segment-fields';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { type DeliveryDeps, deliverMessage } from './deliver-message';
import { countBatch } from './run-counts';
import { delayUntil, type SendBatchMessage } from './run-messages';
import type { RunStore } from './run-store';
import { TokenPool } from './send-rate';
import { type SendRecord, stepAfter } from './send-record';

// The sender's part of a run: one batch of recipients, each decided at the moment of sending from
// what is true now (consent, suppression, SMS opt-out, the frequency cap, quiet hours, local
// time), recorded with one reason, and sent at most once: claimed by a conditional write before
// SES or SNS is called, settled after. A paused campaign's batch waits on the queue; a cancelled
// one's recipients are skipped. What is deferred goes back on the queue, delayed until it is due.

/** A claim older than this has no live holder (the sender's time limit, and a margin). */
export const STALE_CLAIM_MS = 150_000;
/** How long a paused campaign's batch waits before it looks again: a resume takes hold within it. */
export const PAUSED_RETRY_SECONDS = 60;
/** How long recipients over the day's quota wait before they look again. */
export const QUOTA_RETRY_MS = 15 * 60_000;

export interface SendBatchDeps extends DeliveryDeps {
  readonly runs: Pick<RunStore, 'get' | 'records' | 'put' | 'putBatchCounts'>;
  readonly campaignStatus: (campaignId: string) => Promise<CampaignStatus | undefined>;
  readonly suppressedOf: SuppressedOf;
  readonly smsOptedOut: () => Promise<ReadonlySet<string>>;
  /** Emails SES still takes in its rolling 24 hours. */
  readonly dailyQuota: { remaining(): Promise<number>; spend(n: number): void };
  readonly requeue: (message: SendBatchMessage, delaySeconds: number) => Promise<void>;
  readonly settings: CampaignSettings;
  readonly inFlight?: number;
  /** Time left in this invocation (Lambda's context); below `reserveMs` nothing more is claimed. */
  readonly remainingMs?: () => number;
  readonly reserveMs?: number;
}

export interface BatchOutcome {
  readonly outcome: 'done' | 'waiting' | 'no-run';
  readonly reason?: 'paused' | 'not_due';
  readonly looked?: number;
  readonly sent?: number;
  readonly requeued?: number;
}

export const sendBatch = async (deps: SendBatchDeps, message: SendBatchMessage): Promise<BatchOutcome> => {
  const now = deps.now ?? (() => new Date());
  if (message.notBefore && new Date(message.notBefore).getTime() > now().getTime()) {
    await deps.requeue(message, delayUntil(new Date(message.notBefore), now()));
    return { outcome: 'waiting', reason: 'not_due' };
  }
  const run = await deps.runs.get(message.runId);
  if (!run) return { outcome: 'no-run' };
  const status = await deps.campaignStatus(run.campaignId);
  if (status === 'paused') {
    await deps.requeue(message, PAUSED_RETRY_SECONDS);
    return { outcome: 'waiting', reason: 'paused' };
  }
  const cancelled = status !== 'active' || run.status === 'cancelled';
  const claimId = deps.claimId ?? randomUUID();
  const at = now();
  const atIso = at.toISOString();
  const ids = message.only ?? message.profileIds;
  const before = await deps.runs.records(run.runId, ids);

  // A claim nobody holds any more: SES may have taken the message. Never sent again.
  const stale = new Date(at.getTime() - (deps.staleClaimMs ?? STALE_CLAIM_MS)).toISOString();
  await Promise.all(
    [...before.values()]
      .filter((r) => r.status === 'sending' && (r.claimedAt ?? '') <= stale)
      .map((r) =>
        deps.runs.put({ ...r, status: 'in_doubt', at: atIso, step: stepAfter(r) }, { claimedBefore: stale }),
      ),
  );
  const later = new Map<string, string[]>(); // deferUntil -> profile ids
  const deferTo = (until: string, profileId: string) =>
    later.set(until, [...(later.get(until) ?? []), profileId]);
  const todo: string[] = [];
  for (const id of ids) {
    const r = before.get(id);
    if (!r) todo.push(id);
    else if (r.status === 'deferred' && r.deferUntil !== undefined) {
      if (r.deferUntil <= atIso) todo.push(id);
      else deferTo(r.deferUntil, id); // its own delayed message may have been lost: send another
    }
  }

  const base = (profileId: string): SendRecord => {
    const earlier = before.get(profileId);
    return {
      ...(earlier ?? {}),
      runId: run.runId,
      profileId,
      batch: message.batch,
      status: 'skipped',
      at: atIso,
    };
  };
  const open = { absent: true, deferredDueBy: atIso } as const;
  const skip = (profileId: string, reason: string, extra: Partial<SendRecord> = {}) =>
    deps.runs.put({ ...base(profileId), ...extra, status: 'skipped', reason }, open);

  let sent = 0;
  const leftOver: string[] = [];
  if (cancelled) {
    await mapWithConcurrency(todo, 16, (id) => skip(id, 'cancelled'));
  } else {
    const rules = recipientRules(
      { ...run.definition, campaignId: run.campaignId },
      new Date(run.startedAt ?? run.scheduledTime),
      deps.settings,
    );
    const profiles = await deps.profiles.getMany(todo);
    const addresses = [...profiles.values()].flatMap((p) => [
      ...(p.email ? [{ channel: 'email' as const, address: p.email }] : []),
      ...(p.phone ? [{ channel: 'sms' as const, address: p.phone }] : []),
    ]);
    const [suppressed, optedOut] = await Promise.all([
      deps.suppressedOf(addresses),
      run.channel === 'email' ? Promise.resolve(new Set<string>()) : deps.smsOptedOut(),
    ]);
    const decided: { profileId: string; decision: RecipientDecision }[] = [];
    const erased: string[] = [];
    for (const profileId of todo) {
      const profile = profiles.get(profileId);
      if (!profile) {
        erased.push(profileId);
        continue;
      }
      const dueAt = before.get(profileId)?.dueAt;
      decided.push({
        profileId,
        decision: recipientDecision(rules, {
          profile: profile as unknown as ProfileItem,
          isSuppressed: (channel, address) => suppressed.has(`${channel}#${address}`),
          isSmsOptedOut: (phone) => optedOut.has(phone),
          now: at,
          ...(dueAt ? { dueAt: new Date(dueAt) } : {}),
        }),
      });
    }

    await mapWithConcurrency(erased, 16, (id) => skip(id, 'not_found'));
    const sends: { profileId: string; send: Extract<RecipientDecision, { send: unknown }>['send'] }[] = [];
    await mapWithConcurrency(decided, 16, async ({ profileId, decision }) => {
      if ('send' in decision) sends.push({ profileId, send: decision.send });
      else if ('defer' in decision) {
        const { until, dueAt, channel, variant } = decision.defer;
        const deferUntil = until.toISOString();
        const ok = await deps.runs.put(
          {
            ...base(profileId),
            status: 'deferred',
            channel,
            variant,
            dueAt: dueAt.toISOString(),
            deferUntil,
            // Not due yet (the campaign's local time), or due but in the recipient's quiet hours.
            reason: dueAt.getTime() > at.getTime() ? 'local_time' : 'quiet_hours',
          },
          open,
        );
        if (ok) deferTo(deferUntil, profileId);
      } else
        await skip(profileId, decision.skip, {
          ...(decision.cap ? { cap: decision.cap } : {}),
          ...(decision.channel ? { channel: decision.channel } : {}),
        });
    });

    // The day's quota: what SES will not take today waits, and is asked again in 15 minutes.
    const emails = sends.filter((s) => s.send.channel === 'email');
    const room = Math.max(0, await deps.dailyQuota.remaining());
    const over = new Set(emails.slice(Math.floor(Math.min(room, emails.length))).map((s) => s.profileId));
    if (over.size > 0) {
      const until = new Date(at.getTime() + QUOTA_RETRY_MS).toISOString();
      await mapWithConcurrency(
        sends.filter((s) => over.has(s.profileId)),
        16,
        async ({ profileId, send }) => {
          const ok = await deps.runs.put(
            {
              ...base(profileId),
              status: 'deferred',
              channel: send.channel,
              variant: send.variant,
              dueAt: send.dueAt.toISOString(),
              deferUntil: until,
              reason: 'daily_quota',
            },
            open,
          );
          if (ok) deferTo(until, profileId);
        },
      );
    }
    const going = sends.filter((s) => !over.has(s.profileId));
    deps.dailyQuota.spend(going.filter((s) => s.send.channel === 'email').length);

    const left: Record<MessageChannel, number> = { email: 0, sms: 0 };
    for (const s of going) left[s.send.channel]++;
    const chunk = (deps.inFlight ?? 16) * 2;
    const pools = {
      email: new TokenPool(deps.rate, 'email', () => Math.min(left.email, chunk)),
      sms: new TokenPool(deps.rate, 'sms', () => Math.min(left.sms, chunk)),
    };
    // Out of time (a slow rate makes a batch outlast the sender's limit): what is not claimed yet
    // goes back on the queue at once, unclaimed, so it is sent by the next invocation, not in doubt.
    const outOfTime = () => (deps.remainingMs ? deps.remainingMs() < (deps.reserveMs ?? 20_000) : false);
    await mapWithConcurrency(going, deps.inFlight ?? 16, async ({ profileId, send }) => {
      if (outOfTime()) {
        leftOver.push(profileId);
        return;
      }
      const result = await deliverMessage(deps, {
        run,
        record: base(profileId),
        profile: profiles.get(profileId)!,
        send,
        claimId,
        take: () => pools[send.channel].take(),
      });
      left[send.channel]--;
      if (result.outcome === 'sent') sent++;
      if (result.outcome === 'deferred') deferTo(result.until, profileId);
    });
  }

  // What is deferred comes back when it is due (SQS delays up to 15 minutes; longer waits hop).
  let requeued = 0;
  if (leftOver.length > 0) {
    await deps.requeue({ ...message, only: leftOver }, 0);
    requeued += leftOver.length;
  }
  for (const [until, only] of later) {
    await deps.requeue({ ...message, only, notBefore: until }, delayUntil(new Date(until), now()));
    requeued += only.length;
  }
  // The batch's counts, rebuilt from its records as they are now.
  const after = await deps.runs.records(run.runId, message.profileIds);
  const { counts, progress } = countBatch([...after.values()]);
  await deps.runs.putBatchCounts(run.runId, message.batch, counts, progress);
  return { outcome: 'done', looked: todo.length, sent, requeued };
};
