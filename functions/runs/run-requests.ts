import { z } from 'zod';
import { decodeRecipientCursor } from './dynamodb-run-store';
import { SEND_STATUSES } from './send-record';

export const listRecipientsQuerySchema = z.strictObject({
  status: z.enum(SEND_STATUSES).optional().describe('Only the records of this status.'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .max(200)
    .refine((c) => decodeRecipientCursor(c) !== undefined, 'is not a cursor this API gave')
    .optional(),
});

export const listRunsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
