import { z } from 'zod';

/** `GET /profiles`: a page (`limit`, `cursor`), or a look-up by `email`, `phone` or `externalId`. */
export const listProfilesQuerySchema = z
  .strictObject({
    // Bounded as the fields are (RFC 5321: 254 for an address): DynamoDB refuses longer keys with a 500.
    email: z.string().min(1).max(254).optional().describe('Look up the profile with this email address.'),
    phone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Look up the profile with this phone number (any format).'),
    externalId: z.string().min(1).max(128).optional().describe('Look up the profile with this external id.'),
    limit: z.coerce.number().int().min(1).max(100).default(25).describe('Page size, 1-100 (default 25).'),
    cursor: z.string().min(1).max(2048).optional().describe('The `cursor` of the previous page.'),
  })
  .refine((q) => !(q.email && q.phone), {
    message: 'look up by email or by phone, not both',
    path: ['email'],
  });
