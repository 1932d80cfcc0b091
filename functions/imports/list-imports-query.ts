import { z } from 'zod';

/** `GET /imports`: how many recent imports. */
export const listImportsQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('How many, newest first (1-100, default 20).'),
});
