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
  /** Writes of this record so far: 1 for the first (see progressOf). */
  readonly step?: number;
}

/**
 * How far along a record is: its `step`, one more with every write of it (see stepAfter). A record
 * only ever moves on, so a batch's sum of steps never goes down, whichever way a record moves
 * (sending -> deferred included): a count built from later reads wins over an earlier one.
 */
export const progressOf = (record: Pick<SendRecord, 'step'>): number => record.step ?? 1;

/** The step of a record written over `previous` (undefined: the first write). */
export const stepAfter = (previous: Pick<SendRecord, 'step'> | undefined): number =>
  (previous?.step ?? 0) + 1;
