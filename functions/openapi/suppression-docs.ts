import { z } from 'zod';
import { listSuppressionsQuerySchema } from '../suppressions/list-suppressions-query';
import { suppressionInputSchema, suppressionSchema } from '../suppressions/suppression';
import type { RouteDoc } from './route-doc';

/** The suppression routes' documentation (functions in lib/suppression-functions.ts). */
export const suppressionDocs: Record<string, RouteDoc> = {
  'create-suppression POST': {
    requestBody: { schema: suppressionInputSchema, mediaTypes: ['application/json'] },
    success: {
      status: 201,
      description: 'Suppressed (200 with the first entry when the address was suppressed already).',
      schema: suppressionSchema,
    },
    errors: [400, 413, 415, 422],
  },
  'list-suppressions GET': {
    query: listSuppressionsQuerySchema,
    success: {
      status: 200,
      description: 'A page of suppressed addresses (pass back `cursor`), or the look-up (0 or 1 items).',
      schema: z
        .object({ items: z.array(suppressionSchema), cursor: z.string().optional() })
        .meta({ id: 'SuppressionPage' }),
    },
    errors: [422],
  },
  'delete-suppression DELETE': {
    success: { status: 204, description: 'The address may be contacted again.' },
    errors: [404, 422],
  },
};
