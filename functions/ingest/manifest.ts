import { z } from 'zod';
import { tagSchema } from '../profiles/profile';

/**
 * The optional sidecar `<file>.manifest.json` (uploaded before the file, or sent as `POST /imports`):
 * what detection cannot know. Every key is optional; a manifest that does not parse fails the import
 * with the reason.
 */

export const CHARSETS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'gb18030',
  'gbk',
  'windows-1252',
  'iso-8859-1',
] as const;
export const FORMATS = ['csv', 'jsonl', 'whitespace'] as const;
export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYYMMDD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'YYYY/MM/DD',
] as const;

export const consentGrantSchema = z.enum(['granted', 'denied']);

/** Tags a manifest may give every row: a profile holds 50, so a list leaves room for the rows' own. */
export const MAX_MANIFEST_TAGS = 20;

export const manifestSchema = z
  .strictObject({
    source: z
      .strictObject({
        name: z.string().trim().min(1).max(100),
        kind: z.enum(['internal', 'external']),
      })
      .optional(),
    /** `csv` covers any delimiter; `whitespace`: columns separated by runs of spaces or tabs. */
    format: z.enum(FORMATS).optional(),
    compression: z.enum(['gzip', 'none']).optional(),
    charset: z.enum(CHARSETS).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** False: the file has no header row; `columnNames` names the columns in order. */
    header: z.boolean().optional(),
    columnNames: z.array(z.string().min(1).max(200)).max(500).optional(),
    defaultCountry: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
      .transform((c) => c.toUpperCase())
      .optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    decimalSeparator: z.enum(['.', ',']).optional(),
    /** Time zone of dates and date-times written without one (default UTC). */
    timeZone: z.string().min(1).max(64).optional(),
    /** Currency of amounts in a transaction file without a currency column. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
      .optional(),
    /** File column -> field (see the README's field list), or `ignore`. */
    columns: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
    /** What happens to a column matched to no field: kept as a custom attribute, or ignored and reported. */
    unmappedColumns: z.enum(['attributes', 'ignore']).optional(),
    /** Consent this list carries for every row (never applied by an external source: see merge rules). */
    consent: z
      .strictObject({ email: consentGrantSchema.optional(), sms: consentGrantSchema.optional() })
      .optional(),
    /** Profile files: tags every imported row gets, added to the row's own and the profile's. */
    tags: z
      .array(tagSchema)
      .max(MAX_MANIFEST_TAGS, `at most ${MAX_MANIFEST_TAGS} tags`)
      .transform((tags) => [...new Set(tags)])
      .optional(),
    /** Profile files: the static segment (by name) the file's rows join; see static-list.ts. */
    segment: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .optional(),
  })
  .refine((m) => m.header !== false || (m.columnNames?.length ?? 0) > 0, {
    message: 'a file without a header row needs columnNames',
    path: ['columnNames'],
  })
  .meta({ id: 'ImportManifest' });

export type Manifest = z.infer<typeof manifestSchema>;

/** The sidecar's key for a file key. */
export const manifestKeyFor = (fileKey: string): string => `${fileKey}.manifest.json`;
