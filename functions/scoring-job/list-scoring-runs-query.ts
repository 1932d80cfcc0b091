import { z } from 'zod';
import { RUN_ID_PATTERN } from './scoring-run';

/** `GET /scoring/runs`: a page of runs, newest first. */
export const listScoringRunsQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('How many, newest first (1-100, default 20).'),
  cursor: z
    .string()
    .regex(RUN_ID_PATTERN, 'is not a cursor from a previous page')
    .optional()
    .describe('The `cursor` of the previous page.'),
});
