import { z } from 'zod';

/**
 * An address that must never be contacted again by marketing or transactional messages: a
 * permanent bounce, a complaint, or one an operator added. Keyed by channel and normalised address
 * (`email#ann@example.com`, `sms#+447911123456`), not by profile: the address stays suppressed
 * whichever profile holds it next, or none.
 */
export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export type SuppressionChannel = 'email' | 'sms';

export interface Suppression {
  readonly channel: SuppressionChannel;
  /** Normalised: a lower-case email address, or an E.164 phone number. */
  readonly address: string;
  readonly reason: SuppressionReason;
  /** Who or what suppressed it: `ses:<messageId>`, `api:<key name>`. */
  readonly source: string;
  readonly note?: string;
  readonly createdAt: string;
}

export const suppressionKey = (channel: SuppressionChannel, address: string): string =>
  `${channel}#${address}`;

export const suppressionInputSchema = z
  .strictObject({
    email: z.string().trim().max(254).optional(),
    phone: z.string().trim().max(32).optional(),
    reason: z.enum(SUPPRESSION_REASONS).default('manual'),
    note: z.string().trim().max(500).optional(),
  })
  .refine((s) => (s.email === undefined) !== (s.phone === undefined), {
    message: 'give exactly one of email or phone',
  })
  .meta({ id: 'SuppressionInput' });
export type SuppressionInput = z.infer<typeof suppressionInputSchema>;

export const suppressionSchema = z
  .object({
    channel: z.enum(['email', 'sms']),
    address: z.string(),
    reason: z.enum(SUPPRESSION_REASONS),
    source: z.string(),
    note: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'Suppression' });
