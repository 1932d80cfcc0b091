import { z } from 'zod';

// The messages of the send pipeline. The campaign-starts queue carries firings (from Scheduler:
// `{campaignId, scheduledTime}`), manual fires (`runId` and `trigger: manual` added by the API)
// and the run function's own continuations; the campaign-sends queue carries batches of
// recipients to the sender, and the sender's own deferrals of some of them.

const iso = z.iso.datetime({ offset: true });

export const runMessageSchema = z.object({
  campaignId: z.string().min(1).max(64),
  scheduledTime: iso,
  runId: z.string().min(1).max(100).optional(),
  trigger: z.enum(['schedule', 'manual']).default('schedule'),
  /** A continuation or a completion check of a run that exists: never creates one. */
  continuation: z.boolean().optional(),
});
export type RunMessage = z.input<typeof runMessageSchema>;

export const sendBatchMessageSchema = z.object({
  runId: z.string().min(1).max(100),
  campaignId: z.string().min(1).max(64),
  /** The batch's name, unique in its run: its counts item. */
  batch: z.string().min(1).max(64),
  /** Every recipient of the batch (its counts cover them all). */
  profileIds: z.array(z.string().min(1).max(64)).min(1).max(500),
  /** The ones to look at now, when not all (a deferral of some). */
  only: z.array(z.string().min(1).max(64)).max(500).optional(),
  /** Not to be looked at before this time (deferred past SQS's 15-minute delay: delayed again). */
  notBefore: iso.optional(),
});
export type SendBatchMessage = z.infer<typeof sendBatchMessageSchema>;

/** SQS delays a message by at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

/** The delay to ask SQS for to be delivered at `at` (or the most it allows). */
export const delayUntil = (at: Date, now: Date): number =>
  Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil((at.getTime() - now.getTime()) / 1000)));
