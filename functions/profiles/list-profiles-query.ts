import { z } from 'zod';

/** `GET /profiles`: a page (`limit`, `cursor`), or a look-up by `email`, `phone` or `externalId`. */
export const listProfilesQuerySchema = z
  .strictObject({
    email: z.string().min(1).optional(),
    phone: z.string().min(1).optional(),
    externalId: z.string().min(1).max(128).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .refine((q) => !(q.email && q.phone), {
    message: 'look up by email or by phone, not both',
    path: ['email'],
  });
