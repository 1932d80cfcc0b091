import { z } from 'zod';
import { localDateOf } from './clock-time';

// Frequency caps across all marketing campaigns, per profile and channel, so no customer is worn
// out by several campaigns that each look reasonable alone. Default: at most 3 messages in 7
// rolling days and 1 per calendar day, the day as the recipient's clock reads it (Braze counts "per
// day" so: a customer texted at 23:00 may be texted again after midnight, their midnight). A capped
// recipient is skipped, not queued for later (as Braze, Klaviyo and Pinpoint do): a message held
// for a week would be stale. Transactional messages are neither capped nor counted.
//
// What is counted lives on the profile item as a small JSON value, the contact log: the most
// recent marketing sends per channel (at most 20, none older than 30 days), each its time and
// campaign. `version` goes up by one with every recorded send, so the sender's claim can write the
// new log with a condition on the version it read (`attribute_not_exists` for version 0): two
// campaigns sending to one customer at once cannot both squeeze under the cap.

/** Sends kept per channel: more than any cap can need (caps are at most this). */
export const MAX_CONTACTS_PER_CHANNEL = 20;
/** Sends older than this are dropped from the log. */
export const CONTACT_RETENTION_MS = 30 * 24 * 3600 * 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;

export type CapChannel = 'email' | 'sms';

const capValue = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_CONTACTS_PER_CHANNEL, `must be at most ${MAX_CONTACTS_PER_CHANNEL}`);

export const frequencyCapSchema = z
  .strictObject({
    perDay: capValue
      .optional()
      .meta({ description: 'Marketing messages per calendar day (recipient’s zone).' }),
    perWeek: capValue.optional().meta({ description: 'Marketing messages in any 7 rolling days.' }),
  })
  .meta({ description: 'Per profile and channel, across all marketing campaigns.' });
export type FrequencyCaps = z.infer<typeof frequencyCapSchema>;
export type CapName = keyof FrequencyCaps;

/** The default of the global caps (settings). */
export const DEFAULT_FREQUENCY_CAPS: Required<FrequencyCaps> = { perDay: 1, perWeek: 3 };

/** One marketing send: when (epoch ms) and which campaign. */
export interface ContactEntry {
  readonly at: number;
  readonly campaignId: string;
}

export interface ContactLog {
  /** One more on every recorded send; 0 for a profile never contacted. Compare it to write. */
  readonly version: number;
  /** Oldest first. */
  readonly email: readonly ContactEntry[];
  readonly sms: readonly ContactEntry[];
}

export const EMPTY_CONTACT_LOG: ContactLog = { version: 0, email: [], sms: [] };

/** The log as stored (a profile item may have none, or one from an older shape): never throws. */
export const contactLogSchema = z
  .object({
    version: z.number().int().min(0).catch(0),
    email: z.array(z.object({ at: z.number(), campaignId: z.string() })).catch([]),
    sms: z.array(z.object({ at: z.number(), campaignId: z.string() })).catch([]),
  })
  .catch(() => ({ version: 0, email: [], sms: [] }));

/** The contact log of a stored profile item's value (undefined: never contacted). */
export const readContactLog = (stored: unknown): ContactLog =>
  stored === undefined ? EMPTY_CONTACT_LOG : contactLogSchema.parse(stored);

/**
 * The caps a campaign sends under: the global ones, each made stricter where the campaign sets a
 * lower one (a campaign may never loosen a global cap; the definition check refuses that too).
 */
export const effectiveCaps = (global: FrequencyCaps, campaign: FrequencyCaps = {}): FrequencyCaps => {
  const stricter = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const perDay = stricter(global.perDay, campaign.perDay);
  const perWeek = stricter(global.perWeek, campaign.perWeek);
  return { ...(perDay !== undefined ? { perDay } : {}), ...(perWeek !== undefined ? { perWeek } : {}) };
};

export type FrequencyDecision =
  | { readonly allowed: true }
  | { readonly skip: 'frequency_capped'; readonly cap: CapName };

/**
 * Whether one more marketing message on `channel` at `now` stays within the caps. When both caps
 * are reached the week's is named: it is the one that holds longer.
 */
export const frequencyDecision = (
  log: ContactLog,
  channel: CapChannel,
  now: Date,
  caps: FrequencyCaps,
  timeZone: string,
): FrequencyDecision => {
  const nowMs = now.getTime();
  const entries = log[channel];
  if (caps.perWeek !== undefined) {
    const inWeek = entries.filter((e) => e.at > nowMs - WEEK_MS).length;
    if (inWeek >= caps.perWeek) return { skip: 'frequency_capped', cap: 'perWeek' };
  }
  if (caps.perDay !== undefined) {
    // Only sends within the last 26 hours can be on today's date in any zone.
    const recent = entries.filter((e) => e.at > nowMs - 26 * 3600_000);
    if (recent.length >= caps.perDay) {
      const today = localDateOf(nowMs, timeZone);
      const sameDay = (at: number) => {
        const d = localDateOf(at, timeZone);
        return d.day === today.day && d.month === today.month && d.year === today.year;
      };
      if (recent.filter((e) => sameDay(e.at)).length >= caps.perDay)
        return { skip: 'frequency_capped', cap: 'perDay' };
    }
  }
  return { allowed: true };
};

export interface ContactSend {
  readonly channel: CapChannel;
  readonly at: Date;
  readonly campaignId: string;
  readonly kind: 'marketing' | 'transactional';
}

/**
 * The log with one more send, pruned (older than 30 days, beyond 20 per channel) and its version
 * one higher. A transactional send is not counted: the log comes back unchanged (nothing to write).
 */
export const recordContact = (log: ContactLog, send: ContactSend, now: Date = send.at): ContactLog => {
  if (send.kind === 'transactional') return log;
  const oldest = now.getTime() - CONTACT_RETENTION_MS;
  const prune = (entries: readonly ContactEntry[]) =>
    entries.filter((e) => e.at >= oldest).slice(-MAX_CONTACTS_PER_CHANNEL);
  const added = [...log[send.channel], { at: send.at.getTime(), campaignId: send.campaignId }].sort(
    (a, b) => a.at - b.at,
  );
  return {
    version: log.version + 1,
    email: prune(send.channel === 'email' ? added : log.email),
    sms: prune(send.channel === 'sms' ? added : log.sms),
  };
};
