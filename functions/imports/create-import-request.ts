import { z } from 'zod';
import { manifestSchema } from '../ingest/manifest';

/** `POST /imports`: the key the file will be uploaded to, and its manifest. */
export const createImportRequestSchema = z
  .strictObject({
    key: z
      .string()
      .regex(
        /^imports\/(profiles|transactions)\/[^\0]{1,900}$/,
        'must be a key under imports/profiles/ or imports/transactions/',
      )
      .refine((k) => !k.endsWith('.manifest.json'), 'is a manifest key, not a file key')
      .describe('Where the file will be uploaded: a key under imports/profiles/ or imports/transactions/.'),
    manifest: manifestSchema,
  })
  // Caught here too, so a wrong manifest is a 422 now rather than a failed import after the upload.
  .superRefine((req, ctx) => {
    if (!req.key.startsWith('imports/transactions/')) return;
    for (const key of ['tags', 'segment'] as const)
      if (req.manifest[key] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['manifest', key],
          message: 'only profile files (imports/profiles/) take it',
        });
  })
  .meta({ id: 'CreateImport' });

/** What `POST /imports` answers: where the manifest went, and what to do next. */
export const createImportResponseSchema = z
  .object({
    key: z.string(),
    manifestKey: z.string().describe('The sidecar key the manifest was stored under.'),
    next: z.string().describe('Where to upload the file.'),
  })
  .meta({ id: 'CreatedImport' });
