import type { MessageChannel, RecipientSkipReason } from '../campaigns/recipient-decision';

// One record per run and recipient: the guarantee that nobody gets a campaign run twice. The
// sender creates it the first time it decides a recipient (conditional on there being none), or
// the run function does for control members. A message moves through it in one direction:
//
//   (none) -> control | skipped | deferred | sending
//   deferred -> sending | skipped                  (when it falls due, decided again)
//   sending -> sent | failed | skipped | deferred  (settled by the claim's holder)
//   sending -> in_doubt                            (its holder died: SES may have accepted it)
//
// `sending` is the claim: only the holder of `claimId` settles it, so a redelivered batch never
// sends what another attempt claimed. A claim whose holder died between SES accepting the message
// and the settle cannot know whether the message went out; it is `in_doubt`, counted, and never
// sent again automatically (the SES SEND events of the next step tell).

export const SEND_STATUSES = [
  'control',
  'skipped',
  'deferred',
  'sending',
  'sent',
  'failed',
  'in_doubt',
] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];

/** Statuses nothing moves on from. */
export const FINAL_SEND_STATUSES: readonly SendStatus[] = [
  'control',
  'skipped',
  'sent',
  'failed',
  'in_doubt',
];

export type SendSkipReason = RecipientSkipReason | 'not_found' | 'cancelled' | 'rendering_failed';

export interface SendRecord {
  readonly runId: string;
  readonly profileId: string;
  readonly status: SendStatus;
  /** The send batch it belongs to (its counts are kept per batch). */
  readonly batch: string;
  readonly channel?: MessageChannel;
  readonly variant?: number;
  readonly templateId?: string;
  readonly templateVersion?: number;
  readonly reason?: SendSkipReason | string;
  /** For frequency_capped: which cap. */
  readonly cap?: string;
  readonly messageId?: string;
  readonly offerCode?: string;
  readonly offerExpiresAt?: string;
  /** When it first fell due (quiet hours and local time defer from here; expired 24 h after). */
  readonly dueAt?: string;
  readonly deferUntil?: string;
  readonly claimId?: string;
  readonly claimedAt?: string;
  /** For control members: when the run would have sent it (the next step measures from here). */
  readonly wouldSendAt?: string;
  readonly sentAt?: string;
  /** Last change. */
  readonly at: string;
}

/** How far along a record is: never goes down, so a count built from more advanced records wins. */
export const progressOf = (status: SendStatus | undefined): number =>
  status === undefined ? 0 : status === 'deferred' ? 1 : status === 'sending' ? 2 : 3;
