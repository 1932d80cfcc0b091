import { setTimeout as sleep } from 'node:timers/promises';
import type { EmailSender } from '../channels/email-sender';
import { RetryableSendError } from '../channels/send-errors';
import type { SmsSender } from '../channels/sms-sender';
import type { Profile } from '../profiles/profile';
import type { ProfileTable } from '../profiles/profile-store';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import {
  decideReactivation,
  isLapsed,
  REACTIVATION_ATTRIBUTES,
  type ReactivationDecision,
  type ReactivationFields,
  type ReactivationRules,
  type SkipReason,
} from './reactivation-policy';
import { type ReactivationCopy, renderReactivationEmail, renderReactivationSms } from './render-reactivation';
import { countSends, type RunCounts, type RunRecord, type SendRecord } from './run-record';
import type { RunStore } from './run-store';
import { signUnsubscribeToken } from './unsubscribe-token';

export interface ReactivationDeps {
  readonly profiles: Pick<ProfileTable, 'get' | 'scanAttributes' | 'markReactivated'>;
  readonly runs: RunStore;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly unsubscribeSecret: string;
  /** Base URL of the public API, for unsubscribe links. */
  readonly publicApiUrl: string;
  readonly unsubscribeMailto?: string;
  readonly copy: ReactivationCopy;
  readonly now?: () => Date;
  /** Sends in flight per page of the scan (the store scans a few segments at once; default 2). */
  readonly concurrency?: number;
  /** Attempts per message when the provider throttles. */
  readonly sendAttempts?: number;
  readonly backoffMs?: number;
}

/** A run id names one firing of the schedule, so a redelivered firing is the same run. */
export const reactivationRunId = (scheduledTime: string): string =>
  `reactivation-${new Date(scheduledTime)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`;

const withUnrecordedSkips = (counts: RunCounts, reason: SkipReason, n: number): RunCounts =>
  n === 0
    ? counts
    : {
        ...counts,
        selected: counts.selected + n,
        skipped: counts.skipped + n,
        skippedByReason: { ...counts.skippedByReason, [reason]: (counts.skippedByReason[reason] ?? 0) + n },
      };

/**
 * The win-back run: every lapsed profile is decided once (sent, skipped with a reason, or failed;
 * recorded per profile, except lapsed profiles with no email or phone at all, which are counted);
 * each send is claimed by a conditional write before it goes out, so retries and redeliveries of
 * the same run never send twice, and later runs skip whoever was contacted within the cooldown.
 */
export const runReactivation = async (
  deps: ReactivationDeps,
  input: { runId: string; scheduledTime: string },
  rules: Omit<ReactivationRules, 'now'>,
): Promise<RunRecord> => {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const run = await deps.runs.begin({
    runId: input.runId,
    campaign: 'reactivation',
    status: 'running',
    scheduledTime: input.scheduledTime,
    startedAt: startedAt.toISOString(),
    attempts: 1,
    rules: { lapsedDays: rules.lapsedDays, cooldownDays: rules.cooldownDays },
  });
  const fullRules: ReactivationRules = { ...rules, now: startedAt };
  const optedOut = await deps.sms.optedOutNumbers();
  // Profiles an earlier attempt of this run recorded: their record counts, not this attempt's view.
  const recorded = new Set((await deps.runs.sends(run.runId)).map((r) => r.profileId));
  // Lapsed profiles without any email or phone are counted, not recorded: there is nothing to audit
  // about them, and they can be most of a base (in-store buyers, imported order histories).
  let noContactPoint = 0;
  const base = deps.publicApiUrl.replace(/\/+$/, '');

  const record = (
    profile: { readonly profileId: string },
    fields: Omit<SendRecord, 'runId' | 'profileId' | 'at'>,
  ): SendRecord => ({
    runId: run.runId,
    profileId: profile.profileId,
    at: now().toISOString(),
    ...fields,
  });

  const send = async (profile: Profile, channel: 'email' | 'sms'): Promise<{ messageId: string }> => {
    if (channel === 'sms') {
      return deps.sms.send({
        phoneNumber: profile.phone!,
        message: renderReactivationSms(profile, deps.copy),
        type: 'Promotional',
      });
    }
    const token = signUnsubscribeToken(deps.unsubscribeSecret, {
      profileId: profile.profileId,
      channel,
      runId: run.runId,
    });
    const unsubscribeUrl = `${base}/unsubscribe?token=${token}`;
    const rendered = renderReactivationEmail(profile, deps.copy, unsubscribeUrl);
    const listUnsubscribe = [`<${unsubscribeUrl}>`];
    if (deps.unsubscribeMailto)
      listUnsubscribe.push(`<mailto:${deps.unsubscribeMailto}?subject=unsubscribe>`);
    return deps.email.send({
      to: profile.email!,
      ...rendered,
      headers: {
        'List-Unsubscribe': listUnsubscribe.join(', '),
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      tags: { campaign: 'reactivation', run: run.runId, profile: profile.profileId },
    });
  };

  const decide = (profile: ReactivationFields): ReactivationDecision => {
    const decision = decideReactivation(profile, fullRules);
    return 'send' in decision && decision.send === 'sms' && optedOut.has(profile.phone!)
      ? { skip: 'sms_opted_out' }
      : decision;
  };

  const handle = async (candidate: ReactivationFields, decided: ReactivationDecision): Promise<void> => {
    if ('skip' in decided) {
      await deps.runs.claim(record(candidate, { status: 'skipped', reason: decided.skip }));
      return;
    }
    // The whole profile, read now: the copy's fields, and consent as it is at the moment of sending.
    const profile = await deps.profiles.get(candidate.profileId);
    if (!profile || !isLapsed(profile, fullRules)) return; // erased, or bought something meanwhile
    const decision = decide(profile);
    if ('skip' in decision) {
      if (decision.skip === 'no_contact_point') noContactPoint += recorded.has(profile.profileId) ? 0 : 1;
      else await deps.runs.claim(record(profile, { status: 'skipped', reason: decision.skip }));
      return;
    }
    const channel = decision.send;
    if (!(await deps.runs.claim(record(profile, { status: 'pending', channel })))) return;
    const attempts = deps.sendAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const { messageId } = await send(profile, channel);
        await deps.runs.settle(record(profile, { status: 'sent', channel, messageId }));
        await deps.profiles.markReactivated(profile.profileId, now().toISOString());
        return;
      } catch (error) {
        const retryable = error instanceof RetryableSendError;
        if (retryable && attempt < attempts) {
          await sleep((deps.backoffMs ?? 200) * 2 ** (attempt - 1) * (0.5 + Math.random()));
          continue;
        }
        await deps.runs.settle(
          record(profile, { status: 'failed', channel, reason: (error as Error).message, retryable }),
        );
        return;
      }
    }
  };

  // The scan reads only what the rules need, in parallel segments; each segment records and sends
  // for its page before it reads on.
  await deps.profiles.scanAttributes(REACTIVATION_ATTRIBUTES, async (page) => {
    const work: { candidate: ReactivationFields; decision: ReactivationDecision }[] = [];
    for (const candidate of page) {
      if (!isLapsed(candidate, fullRules)) continue;
      const decision = decide(candidate);
      if ('skip' in decision && decision.skip === 'no_contact_point') {
        if (!recorded.has(candidate.profileId)) noContactPoint++;
      } else work.push({ candidate, decision });
    }
    await mapWithConcurrency(work, deps.concurrency ?? 2, ({ candidate, decision }) =>
      handle(candidate, decision),
    );
  });

  const finished: RunRecord = {
    ...run,
    status: 'completed',
    finishedAt: now().toISOString(),
    counts: withUnrecordedSkips(
      countSends(await deps.runs.sends(run.runId)),
      'no_contact_point',
      noContactPoint,
    ),
  };
  await deps.runs.finish(finished);
  return finished;
};
