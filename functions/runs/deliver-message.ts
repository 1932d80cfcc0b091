import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ContactLog,
  effectiveCaps,
  frequencyDecision,
  readContactLog,
  recordContact,
} from '../campaigns/frequency-cap';
import { newOfferCode, type OfferCode } from '../campaigns/offer-code';
import type { MessageChannel } from '../campaigns/recipient-decision';
import type { UnsubscribeClaim } from '../campaigns/unsubscribe-token';
import type { EmailSender } from '../channels/email-sender';
import { PermanentSendError, RetryableSendError, UncertainSendError } from '../channels/send-errors';
import type { SmsSender } from '../channels/sms-sender';
import type { IssuedOffer } from '../offers/issued-offer';
import type { Profile } from '../profiles/profile';
import { renderTemplate } from '../templates/render-template';
import type { Template } from '../templates/template';
import { buildTemplateContext } from '../templates/template-context';
import { composeEmail, listIdOf } from './compose-message';
import type { RecipientProfiles } from './recipient-profiles';
import type { Run } from './run';
import type { RunStore } from './run-store';
import type { SendRate } from './send-rate';
import { type SendRecord, stepAfter } from './send-record';

// One message to one recipient, at most once: claim (a conditional write of the send record),
// count it against the frequency cap (a compare-and-set of the profile's contact log, so two
// campaigns cannot both squeeze under the cap), render, send, settle. Only the claim's holder
// settles. Throttling is retried with backoff and, when it persists, the message waits a minute
// on the queue: it is never recorded as sent, nor as failed. An error that leaves it open whether
// the message went out (a timeout, a 5xx) is recorded in doubt, never retried; so is a crash after
// SES took the message, by the next look at the batch.

export interface DeliveryDeps {
  readonly runs: Pick<RunStore, 'put'>;
  readonly profiles: RecipientProfiles;
  readonly templates: { getVersion(templateId: string, version: number): Promise<Template | undefined> };
  readonly offers?: { claim(offer: IssuedOffer): Promise<boolean> };
  readonly rate: SendRate;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly links: {
    unsubscribeUrl(claim: UnsubscribeClaim): string;
    preferencesUrl(claim: UnsubscribeClaim): string;
    readonly unsubscribeMailto?: string;
    readonly fromAddress: string;
  };
  readonly settings: { readonly globalFrequencyCap: Parameters<typeof effectiveCaps>[0] };
  readonly smsOptOut?: string;
  readonly now?: () => Date;
  readonly claimId?: string;
  readonly sendAttempts?: number;
  readonly backoffMs?: number;
  readonly staleClaimMs?: number;
  readonly onThrottled?: () => void;
}

export interface Delivery {
  readonly run: Run;
  /** The record as it stands (its batch, an earlier deferral's fields). */
  readonly record: SendRecord;
  readonly profile: Profile;
  readonly send: { channel: MessageChannel; variant: number; dueAt: Date; timeZone: string };
  readonly claimId: string;
  /** Waits for a token of the account-wide rate; the epoch second it is for. */
  readonly take: () => Promise<number>;
}

export type DeliveryResult =
  | { readonly outcome: 'sent'; readonly messageId: string }
  | { readonly outcome: 'deferred'; readonly until: string }
  | { readonly outcome: 'skipped' | 'failed' | 'in_doubt' | 'taken' };

const THROTTLE_WAIT_MS = 60_000;

/** A fresh code, claimed in the offers store (drawn again on the rare clash). */
const issueOffer = async (deps: DeliveryDeps, d: Delivery, at: Date): Promise<OfferCode | undefined> => {
  const offer = d.run.definition.offer;
  if (!offer || !deps.offers) return undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newOfferCode(offer, at);
    const issued: IssuedOffer = {
      ...code,
      campaignId: d.run.campaignId,
      runId: d.run.runId,
      profileId: d.profile.profileId,
      issuedAt: at.toISOString(),
    };
    if (await deps.offers.claim(issued)) return code;
  }
  throw new Error('could not draw an unused offer code in 5 attempts');
};

/** Counts the message in the contact log; false when the cap is reached now (another campaign was faster). */
const countContact = async (deps: DeliveryDeps, d: Delivery, at: Date): Promise<boolean | 'gone'> => {
  const caps = effectiveCaps(deps.settings.globalFrequencyCap, d.run.definition.frequencyCap);
  let profile: Profile | undefined = d.profile;
  for (let attempt = 0; attempt < 5 && profile; attempt++) {
    const log: ContactLog = readContactLog(profile.contactLog);
    if ('skip' in frequencyDecision(log, d.send.channel, at, caps, d.send.timeZone)) return false;
    const next = recordContact(log, {
      channel: d.send.channel,
      at,
      campaignId: d.run.campaignId,
      kind: 'marketing',
    });
    if (await deps.profiles.writeContactLog(profile.profileId, next, log.version)) return true;
    profile = (await deps.profiles.getMany([profile.profileId])).get(profile.profileId);
  }
  if (!profile) return 'gone';
  throw new Error(`the contact log of ${d.profile.profileId} kept changing`);
};

export const deliverMessage = async (deps: DeliveryDeps, d: Delivery): Promise<DeliveryResult> => {
  const now = deps.now ?? (() => new Date());
  const { run, send } = d;
  const slot = run.templates.find((t) => t.channel === send.channel && t.variant === send.variant);
  const template = slot ? await deps.templates.getVersion(slot.templateId, slot.version) : undefined;
  const started = now();
  const offer = await issueOffer(deps, d, started);
  // The token before the claim: a recipient waiting for the rate holds no claim (a sender that runs
  // out of time leaves them unclaimed, to be sent by the redelivery, not in doubt).
  const window = await d.take();
  const claimedAt = now().toISOString();
  const claimed: SendRecord = {
    ...d.record,
    status: 'sending',
    channel: send.channel,
    variant: send.variant,
    dueAt: send.dueAt.toISOString(),
    claimId: d.claimId,
    claimedAt,
    at: claimedAt,
    ...(slot ? { templateId: slot.templateId, templateVersion: slot.version } : {}),
    ...(offer ? { offerCode: offer.code, offerExpiresAt: offer.expiresAt } : {}),
  };
  const { deferUntil: _d, reason: _r, ...claim } = claimed;
  if (!(await deps.runs.put(claim as SendRecord, { absent: true, deferredDueBy: claimedAt })))
    return { outcome: 'taken' };
  const settle = async (changes: Partial<SendRecord>) => {
    await deps.runs.put(
      { ...claim, ...changes, at: now().toISOString(), step: stepAfter(claim) } as SendRecord,
      {
        claimId: d.claimId,
      },
    );
  };

  if (run.definition.kind === 'marketing') {
    const counted = await countContact(deps, d, started);
    if (counted !== true) {
      await settle({ status: 'skipped', reason: counted === 'gone' ? 'not_found' : 'frequency_capped' });
      return { outcome: 'skipped' };
    }
  }
  if (!template) {
    await settle({ status: 'failed', reason: 'template_missing' });
    return { outcome: 'failed' };
  }
  const linkClaim = { profileId: d.profile.profileId, channel: send.channel, runId: run.runId };
  const unsubscribeUrl = deps.links.unsubscribeUrl(linkClaim);
  const rendered = renderTemplate(
    template,
    buildTemplateContext(d.profile, {
      unsubscribeUrl,
      preferencesUrl: deps.links.preferencesUrl(linkClaim),
      ...(offer ? { offer } : {}),
    }),
    {
      now: new Date(run.startedAt ?? run.scheduledTime),
      timeZone: send.timeZone,
      ...(deps.smsOptOut ? { smsOptOut: deps.smsOptOut } : {}),
    },
  );
  if (!rendered.ok) {
    await settle({ status: 'failed', reason: `rendering_failed: ${rendered.failure.reason}`.slice(0, 300) });
    return { outcome: 'failed' };
  }
  const tags = {
    campaign: run.campaignId,
    run: run.runId,
    variant: String(send.variant),
    profile: d.profile.profileId,
  };
  const attempts = deps.sendAttempts ?? 4;
  // A token of the second the call goes out in: one taken before the claim and the render whose
  // second has passed is dropped and another taken (spent late, it joined the next second's own and
  // SES saw bursts over the rate).
  if (Math.floor(Date.now() / 1000) !== window) await d.take();
  for (let attempt = 1; ; attempt++) {
    let messageId: string;
    try {
      const message = rendered.message;
      ({ messageId } =
        message.channel === 'email'
          ? await deps.email.send(
              composeEmail(message, {
                to: d.profile.email!,
                kind: run.definition.kind,
                unsubscribeUrl,
                ...(deps.links.unsubscribeMailto ? { unsubscribeMailto: deps.links.unsubscribeMailto } : {}),
                listId: listIdOf(deps.links.fromAddress, run.campaignId, run.definition.topic),
                listName: run.campaignName,
                tags,
              }),
            )
          : await deps.sms.send({
              phoneNumber: d.profile.phone!,
              message: message.text,
              type: run.definition.kind === 'marketing' ? 'Promotional' : 'Transactional',
            }));
    } catch (error) {
      if (error instanceof RetryableSendError) {
        deps.onThrottled?.();
        if (attempt < attempts) {
          await sleep((deps.backoffMs ?? 200) * 2 ** (attempt - 1) * (0.5 + Math.random()));
          await d.take();
          continue;
        }
        const until = new Date(now().getTime() + THROTTLE_WAIT_MS).toISOString();
        await settle({ status: 'deferred', deferUntil: until, reason: 'throttled' });
        return { outcome: 'deferred', until };
      }
      if (error instanceof UncertainSendError) {
        // It may have gone out: never sent again; SES's SEND events will tell.
        await settle({ status: 'in_doubt', reason: error.message });
        return { outcome: 'in_doubt' };
      }
      if (error instanceof PermanentSendError) {
        await settle({ status: 'failed', reason: error.message });
        return { outcome: 'failed' };
      }
      throw error;
    }
    // Out of the try: a message that went out is never recorded as failed, whatever fails after.
    await settle({ status: 'sent', messageId, sentAt: now().toISOString() });
    return { outcome: 'sent', messageId };
  }
};
