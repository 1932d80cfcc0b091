import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmailSender } from '../channels/email-sender';
import { RetryableSendError } from '../channels/send-errors';
import type { SmsSender } from '../channels/sms-sender';
import { LeaseLostError } from '../jobs/lease-lost-error';
import { type SegmentPosition, scanComplete } from '../jobs/scan-position';
import { type TimeBudget, timeBudget } from '../jobs/time-budget';
import type { Profile } from '../profiles/profile';
import type { ProfileTable } from '../profiles/profile-store';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import {
  type CampaignRun,
  countSends,
  type RunCheckpoint,
  type RunCounts,
  type SendRecord,
} from './campaign-run';
import type { CampaignRunStore } from './campaign-run-store';
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
import { signUnsubscribeToken } from './unsubscribe-token';

export interface ReactivationDeps {
  readonly profiles: Pick<ProfileTable, 'get' | 'scanAttributes' | 'markReactivated'>;
  readonly runs: CampaignRunStore;
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
  /** Time left in this invocation (Lambda's context); default 15 minutes. */
  readonly remainingMs?: () => number;
  /** Hand over to a continuation when less than this is left (default 120 s). */
  readonly reserveMs?: number;
  /** Profiles read per page: the work between two checkpoints (default 1,000). */
  readonly pageSize?: number;
  /** Who works (the Lambda request id). */
  readonly owner?: string;
  /** Told of every throttled send attempt (retried or not): the operator's metric. */
  readonly onThrottled?: () => void;
  /** Hands the run to a fresh invocation (a message on the campaign-runs queue). */
  readonly continueLater?: (message: CampaignRunMessage) => Promise<void>;
}

/** The message that resumes a campaign run in a fresh invocation. */
export interface CampaignRunMessage {
  readonly rekindleCampaignRun: { readonly runId: string; readonly scheduledTime: string };
}

export type ReactivationStep =
  | { readonly outcome: 'finished' | 'continued'; readonly run: CampaignRun }
  /** Another invocation holds the run: try again later. */
  | { readonly outcome: 'busy'; readonly runId: string }
  /** A continuation of a run that is over, or gone. */
  | { readonly outcome: 'nothing-to-do'; readonly runId: string; readonly run?: CampaignRun };

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
 * The run is a long job: claimed with a lease, its scan checkpointed after every page, and handed
 * to a continuation near the time limit, so a run over millions of profiles needs no single
 * invocation to finish it. A redelivered firing of a completed run makes another pass (retrying
 * what was throttled); a continuation of a completed run does nothing.
 */
export const runReactivation = async (
  deps: ReactivationDeps,
  input: { runId: string; scheduledTime: string; continuation?: boolean },
  rules: Omit<ReactivationRules, 'now'>,
): Promise<ReactivationStep> => {
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? randomUUID();
  const budget = timeBudget(deps.remainingMs ?? (() => 15 * 60_000), {
    reserveMs: deps.reserveMs ?? 120_000,
  });
  const fresh: CampaignRun = {
    runId: input.runId,
    campaign: 'reactivation',
    status: 'running',
    scheduledTime: input.scheduledTime,
    startedAt: now().toISOString(),
    attempts: 1,
    invocations: 1,
    rules: { lapsedDays: rules.lapsedDays, cooldownDays: rules.cooldownDays },
  };
  let claim = await deps.runs.claim(
    input.runId,
    owner,
    budget.leaseMs(),
    input.continuation ? undefined : fresh,
  );
  if (claim.outcome === 'over' && !input.continuation && (await deps.runs.reopen(input.runId)))
    claim = await deps.runs.claim(input.runId, owner, budget.leaseMs());
  if (claim.outcome === 'busy') return { outcome: 'busy', runId: input.runId };
  if (claim.outcome !== 'claimed')
    return { outcome: 'nothing-to-do', runId: input.runId, ...('job' in claim ? { run: claim.job } : {}) };
  const run = claim.job;
  try {
    return await work(deps, run, owner, budget, rules);
  } catch (error) {
    // Let a redelivery resume at once instead of waiting for the lease to run out.
    await deps.runs.release(run.runId, owner).catch(() => undefined);
    throw error;
  }
};

const work = async (
  deps: ReactivationDeps,
  run: CampaignRun,
  owner: string,
  budget: TimeBudget,
  rules: Omit<ReactivationRules, 'now'>,
): Promise<ReactivationStep> => {
  const now = deps.now ?? (() => new Date());
  // One instant for the whole run, whichever invocation works on it: the same profiles are lapsed.
  const fullRules: ReactivationRules = { ...rules, now: new Date(run.startedAt) };
  const optedOut = await deps.sms.optedOutNumbers();
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

  /** Handles one candidate; true when it is a lapsed profile without any contact point (counted). */
  const handle = async (candidate: ReactivationFields, decided: ReactivationDecision): Promise<boolean> => {
    if ('skip' in decided) {
      await deps.runs.claimSend(record(candidate, { status: 'skipped', reason: decided.skip }));
      return false;
    }
    // The whole profile, read now: the copy's fields, and consent as it is at the moment of sending.
    const profile = await deps.profiles.get(candidate.profileId);
    if (!profile || !isLapsed(profile, fullRules)) return false; // erased, or bought something meanwhile
    const decision = decide(profile);
    if ('skip' in decision) {
      if (decision.skip === 'no_contact_point') return true;
      await deps.runs.claimSend(record(profile, { status: 'skipped', reason: decision.skip }));
      return false;
    }
    const channel = decision.send;
    if (!(await deps.runs.claimSend(record(profile, { status: 'pending', channel })))) return false;
    const attempts = deps.sendAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let messageId: string;
      try {
        ({ messageId } = await send(profile, channel));
      } catch (error) {
        const retryable = error instanceof RetryableSendError;
        if (retryable) deps.onThrottled?.();
        if (retryable && attempt < attempts) {
          await sleep((deps.backoffMs ?? 200) * 2 ** (attempt - 1) * (0.5 + Math.random()));
          continue;
        }
        await deps.runs.settleSend(
          record(profile, { status: 'failed', channel, reason: (error as Error).message, retryable }),
        );
        return false;
      }
      // Out of the try: a message that went out is never recorded as failed, whatever fails after.
      await deps.runs.settleSend(record(profile, { status: 'sent', channel, messageId }));
      await deps.profiles.markReactivated(profile.profileId, now().toISOString());
      return false;
    }
  };

  // Each segment's position and its count of lapsed profiles without a contact point, as of the
  // last page it handled: checkpointed together, so a resumed run counts every profile once.
  const positions = new Map<number, SegmentPosition & { noContactPoint: number }>(
    (run.checkpoint?.segments ?? []).map((p, i) => [i, p]),
  );
  const checkpointOf = (segments: number): RunCheckpoint => ({
    segments: Array.from(
      { length: segments },
      (_, i) => positions.get(i) ?? { done: false, noContactPoint: 0 },
    ),
  });
  let writes: Promise<void> = Promise.resolve();
  const checkpoint = (segments: number) => {
    // One write at a time, each with the newest positions of every segment.
    writes = writes.then(async () => {
      if (
        !(await deps.runs.checkpoint(
          run.runId,
          owner,
          { checkpoint: checkpointOf(segments) },
          budget.leaseMs(),
        ))
      )
        throw new LeaseLostError(run.runId);
    });
    return writes;
  };

  // The scan reads only what the rules need, in parallel segments; each segment records and sends
  // for its page, then checkpoints, before it reads on.
  const from = run.checkpoint?.segments;
  const stopped = await deps.profiles.scanAttributes(
    REACTIVATION_ATTRIBUTES,
    async (page, after) => {
      const work: { candidate: ReactivationFields; decision: ReactivationDecision }[] = [];
      let noContact = 0;
      for (const candidate of page) {
        if (!isLapsed(candidate, fullRules)) continue;
        const decision = decide(candidate);
        if ('skip' in decision && decision.skip === 'no_contact_point') noContact++;
        else work.push({ candidate, decision });
      }
      const handled = await mapWithConcurrency(work, deps.concurrency ?? 2, ({ candidate, decision }) =>
        handle(candidate, decision),
      );
      noContact += handled.filter(Boolean).length;
      const before = positions.get(after.segment)?.noContactPoint ?? 0;
      positions.set(after.segment, {
        ...(after.next ? { next: after.next } : {}),
        done: after.done,
        noContactPoint: before + noContact,
      });
      await checkpoint(after.segments);
    },
    {
      ...(from ? { from } : {}),
      stop: () => budget.nearlyOut(),
      pageSize: deps.pageSize ?? 1000,
    },
  );
  await writes;

  const segments = stopped.length;
  for (const [i, position] of stopped.entries())
    positions.set(i, { ...position, noContactPoint: positions.get(i)?.noContactPoint ?? 0 });
  if (!scanComplete(stopped)) {
    await checkpoint(segments);
    await deps.runs.release(run.runId, owner);
    if (!deps.continueLater) throw new Error(`run ${run.runId} ran out of time and cannot continue`);
    await deps.continueLater({ rekindleCampaignRun: { runId: run.runId, scheduledTime: run.scheduledTime } });
    return { outcome: 'continued', run: { ...run, checkpoint: checkpointOf(segments) } };
  }

  const noContactPoint = checkpointOf(segments).segments.reduce((sum, s) => sum + s.noContactPoint, 0);
  const finished: CampaignRun = {
    ...run,
    status: 'completed',
    finishedAt: now().toISOString(),
    checkpoint: undefined,
    counts: withUnrecordedSkips(
      countSends(await deps.runs.sends(run.runId)),
      'no_contact_point',
      noContactPoint,
    ),
  };
  if (!(await deps.runs.finish(run.runId, owner, finished))) throw new LeaseLostError(run.runId);
  const { checkpoint: _checkpoint, ...report } = finished;
  return { outcome: 'finished', run: report };
};
