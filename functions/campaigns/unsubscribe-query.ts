import { z } from 'zod';

/**
 * `GET` and `POST /unsubscribe`. Loose on purpose: a missing or altered token is answered by the
 * handler (a page for browsers), never by a 422, and mail clients may append their own parameters.
 */
export const unsubscribeQuerySchema = z.object({
  token: z.string().optional().describe('The signed token from the message.'),
});
