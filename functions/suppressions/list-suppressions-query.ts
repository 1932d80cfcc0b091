import { z } from 'zod';

/** Cursors are the last key read, base64url: opaque to clients, checked before any read. */
export const encodeSuppressionCursor = (key: string): string =>
  Buffer.from(key, 'utf8').toString('base64url');
export const decodeSuppressionCursor = (cursor: string): string | undefined => {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^(email|sms)#[^\s]{3,254}$/.test(key) ? key : undefined;
};

export const listSuppressionsQuerySchema = z.strictObject({
  email: z.string().max(254).optional().describe('Look up one email address.'),
  phone: z.string().max(32).optional().describe('Look up one phone number.'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(400)
    .refine((c) => decodeSuppressionCursor(c) !== undefined, 'is not a cursor this API gave')
    .optional(),
});
