import type { ProfileItem } from '../segments/segment-fields';
import type { CampaignChannel, CampaignDefinition, CampaignKind } from './campaign-definition';
import { variantShares } from './campaign-templates';
import { chooseVariant } from './choose-variant';
import { inCampaignControl, inGlobalControl } from './control-group';
import {
  type CapName,
  effectiveCaps,
  type FrequencyCaps,
  frequencyDecision,
  readContactLog,
} from './frequency-cap';
import { localSendTime } from './local-send-time';
import { isExpired, type QuietHours, quietHoursDecision } from './quiet-hours';
import { recipientTimeZone } from './recipient-time-zone';

// What happens to one recipient of one run, decided at the moment of sending from what the sender
// looked up, with one reason the run records. The order, and why:
// 1. control: the global control group (marketing only) before the campaign's, so a campaign's
//    control group is drawn from the same customers as its treated ones (global members get no
//    marketing at all and would bias it); then the campaign's control group (`control`).
// 2. the channel: for each channel the campaign may use (email_or_sms: email, then SMS) a contact
//    point, consent granted (marketing only), not suppressed, and for SMS not opted out at the
//    carrier. The first channel that passes is used, so an address that bounced falls back to the
//    SMS a customer consented to, as the segment preview's reachable counts do. When none passes,
//    the reason is the one of the channel that got furthest (no_contact_point < no_consent <
//    unsubscribed < suppressed < sms_opted_out), the email's on a tie.
// 3. when: at the recipient's localTime, and outside quiet hours in their zone: later is a
//    `defer`, not a skip; a message that would go out more than 24 h after it first fell due is
//    `expired`.
// 4. the frequency cap (marketing only), counted at the instant the message would go out: if it
//    is capped then it is skipped now (the log only grows), else a deferred message is asked again
//    when it falls due. Reported before `expired`, as the stronger reason.

export type RecipientSkipReason =
  | 'control'
  | 'global_control'
  | 'no_contact_point'
  | 'no_consent'
  | 'unsubscribed'
  | 'suppressed'
  | 'sms_opted_out'
  | 'frequency_capped'
  | 'expired';

export type MessageChannel = 'email' | 'sms';

export type RecipientDecision =
  | {
      readonly send: {
        readonly channel: MessageChannel;
        readonly variant: number;
        readonly at: Date;
        /** When it first fell due: keep it with the send record. */
        readonly dueAt: Date;
        readonly timeZone: string;
      };
    }
  | {
      readonly defer: {
        readonly until: Date;
        /** Pass it back as `dueAt` when asking again. */
        readonly dueAt: Date;
        readonly channel: MessageChannel;
        readonly variant: number;
      };
    }
  | { readonly skip: RecipientSkipReason; readonly cap?: CapName; readonly channel?: MessageChannel };

/** What a run decides by, built once per run (recipientRules). */
export interface RecipientRules {
  readonly campaignId: string;
  readonly kind: CampaignKind;
  readonly channel: CampaignChannel;
  readonly variantShares: readonly number[];
  readonly controlShare: number;
  readonly globalControlShare: number;
  readonly globalControlSalt?: string;
  readonly frequencyCaps: FrequencyCaps;
  readonly quietHours: QuietHours | false;
  readonly localTime?: string;
  readonly businessTimeZone: string;
  /** The run's scheduled time: localTime is on this day in each recipient's zone. */
  readonly runStartedAt: Date;
}

/** The settings the rules take from the environment. */
export interface CampaignSettings {
  readonly globalFrequencyCap: FrequencyCaps;
  readonly defaultQuietHours: QuietHours | false;
  readonly globalControlShare: number;
  readonly globalControlSalt?: string;
  readonly businessTimeZone: string;
}

export const recipientRules = (
  campaign: CampaignDefinition & { readonly campaignId: string },
  runStartedAt: Date,
  settings: CampaignSettings,
): RecipientRules => ({
  campaignId: campaign.campaignId,
  kind: campaign.kind,
  channel: campaign.channel,
  variantShares: variantShares(campaign),
  controlShare: campaign.controlGroup?.share ?? 0,
  globalControlShare: settings.globalControlShare,
  ...(settings.globalControlSalt !== undefined ? { globalControlSalt: settings.globalControlSalt } : {}),
  frequencyCaps: effectiveCaps(settings.globalFrequencyCap, campaign.frequencyCap),
  quietHours: campaign.quietHours ?? settings.defaultQuietHours,
  ...(campaign.localTime !== undefined ? { localTime: campaign.localTime } : {}),
  businessTimeZone: settings.businessTimeZone,
  runStartedAt,
});

/** The profile attributes a decision reads: what the sender's read projects. */
export const RECIPIENT_ATTRIBUTES = [
  'profileId',
  'email',
  'phone',
  'consent',
  'timeZone',
  'country',
  'contactLog',
] as const;

/** What the sender looked up for one recipient. */
export interface Recipient {
  readonly profile: ProfileItem;
  readonly isSuppressed: (channel: MessageChannel, address: string) => boolean;
  readonly isSmsOptedOut: (phone: string) => boolean;
  readonly now: Date;
  /** From an earlier `defer`; absent the first time. */
  readonly dueAt?: Date;
}

type ChannelCheck =
  | { readonly channel: MessageChannel }
  | { readonly fails: RecipientSkipReason; readonly rank: number };

const checkChannel = (rules: RecipientRules, r: Recipient, channel: MessageChannel): ChannelCheck => {
  const address = r.profile[channel === 'email' ? 'email' : 'phone'];
  if (typeof address !== 'string' || address === '') return { fails: 'no_contact_point', rank: 0 };
  if (rules.kind === 'marketing') {
    const consent = r.profile['consent'] as Record<string, { status?: unknown } | undefined> | undefined;
    const status = consent?.[channel]?.status;
    if (status === 'unsubscribed') return { fails: 'unsubscribed', rank: 2 };
    if (status !== 'granted') return { fails: 'no_consent', rank: 1 };
  }
  if (r.isSuppressed(channel, address)) return { fails: 'suppressed', rank: 3 };
  if (channel === 'sms' && r.isSmsOptedOut(address)) return { fails: 'sms_opted_out', rank: 4 };
  return { channel };
};

const CANDIDATES: Record<CampaignChannel, readonly MessageChannel[]> = {
  email: ['email'],
  sms: ['sms'],
  email_or_sms: ['email', 'sms'],
};

/** The channel to send on, or why there is none. */
export const chooseChannel = (
  rules: RecipientRules,
  recipient: Recipient,
): { channel: MessageChannel } | { skip: RecipientSkipReason } => {
  let worst: { fails: RecipientSkipReason; rank: number } | undefined;
  for (const channel of CANDIDATES[rules.channel]) {
    const result = checkChannel(rules, recipient, channel);
    if ('channel' in result) return result;
    if (worst === undefined || result.rank > worst.rank) worst = result;
  }
  return { skip: worst?.fails ?? 'no_contact_point' };
};

/** Send now, later, or not, and why: see the order above. */
export const recipientDecision = (rules: RecipientRules, recipient: Recipient): RecipientDecision => {
  const profileId = String(recipient.profile['profileId']);
  const marketing = rules.kind === 'marketing';
  if (marketing && inGlobalControl(profileId, rules.globalControlShare, rules.globalControlSalt))
    return { skip: 'global_control' };
  if (inCampaignControl(rules.campaignId, profileId, rules.controlShare)) return { skip: 'control' };

  const chosen = chooseChannel(rules, recipient);
  if ('skip' in chosen) return chosen;
  const { channel } = chosen;
  const variant = chooseVariant(rules.campaignId, profileId, rules.variantShares);

  const now = recipient.now;
  const timeZone = recipientTimeZone(recipient.profile, rules.businessTimeZone).timeZone;
  const dueAt =
    recipient.dueAt ??
    (rules.localTime !== undefined ? localSendTime(rules.localTime, timeZone, rules.runStartedAt) : now);
  const earliest = new Date(Math.max(now.getTime(), dueAt.getTime()));
  const quiet = rules.quietHours
    ? quietHoursDecision(earliest, timeZone, rules.quietHours, dueAt)
    : undefined;
  const sendAt = quiet !== undefined && 'deferUntil' in quiet ? quiet.deferUntil : earliest;
  const expired = (quiet !== undefined && 'expired' in quiet) || isExpired(dueAt, sendAt);

  if (marketing) {
    const log = readContactLog(recipient.profile['contactLog']);
    const capped = frequencyDecision(log, channel, expired ? now : sendAt, rules.frequencyCaps, timeZone);
    if ('skip' in capped) return { skip: 'frequency_capped', cap: capped.cap, channel };
  }
  if (expired) return { skip: 'expired', channel };
  if (sendAt.getTime() > now.getTime()) return { defer: { until: sendAt, dueAt, channel, variant } };
  return { send: { channel, variant, at: now, dueAt, timeZone } };
};
