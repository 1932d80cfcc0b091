import { z } from 'zod';
import { manifestSchema } from '../ingest/manifest';
import type { ImportRecord } from './import-record';

const count = (description: string) => z.number().int().min(0).describe(description);

/**
 * Counters of an import. The outcome counters depend on the kind (the row processors' `counters`);
 * every row read ends in exactly one outcome or `rejected`.
 */
const importCountsSchema = z
  .object({
    rowsRead: count('Data rows read from the file.'),
    rejected: count('Rows refused; each is in the rejects report with its reasons.'),
    warnings: count('Rows imported with a warning; each is in the warnings report.').optional(),
    created: count('Profile imports: rows that created a profile.').optional(),
    updated: count('Profile imports: rows that changed a profile.').optional(),
    merged: count(
      'Profile imports: rows merged into a profile an earlier row of this import created or changed.',
    ).optional(),
    unchanged: count('Profile imports: rows that matched a profile and changed nothing.').optional(),
    recorded: count('Transaction imports: new events of customers already known.').optional(),
    createdProfile: count(
      "Transaction imports: new events whose row created the customer's profile.",
    ).optional(),
    duplicate: count('Transaction imports: rows whose event was recorded before.').optional(),
  })
  .catchall(z.number());

const importProgressSchema = z.object({
  rowsDone: count('Data rows taken through the pipeline so far (also the resume point).'),
  chunksDone: count('Chunks committed so far.'),
  bytesRead: count('Raw bytes of the file read so far.'),
  invocations: count('Function invocations that worked on the import (more than one: split or resumed).'),
  rowsPerSecond: z.number().optional().describe('Rows per second of the current invocation.'),
  secondsLeft: z.number().optional().describe('Estimated seconds until the whole file is read.'),
});

/** An import as `GET /imports/{importId}` and `GET /imports` answer it: the stored record. */
export const importRecordSchema = z
  .object({
    importId: z.string(),
    kind: z.enum(['profiles', 'transactions']),
    status: z.enum(['running', 'completed', 'failed']),
    file: z.object({ bucket: z.string(), key: z.string(), eTag: z.string(), size: z.number() }),
    manifest: manifestSchema.optional(),
    detected: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('What the reader found: charset, format, delimiter, compression.'),
    startedAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().optional(),
    counts: importCountsSchema,
    progress: importProgressSchema,
    ignoredColumns: z
      .array(z.string())
      .optional()
      .describe('Header columns matched to no field; their cells were ignored (or kept as attributes).'),
    columnWarnings: z
      .array(z.string())
      .optional()
      .describe('Notes on the column mapping that did not stop the import.'),
    rejectedByReason: z.record(z.string(), z.number()).optional(),
    reports: z
      .object({ rejects: z.string(), warnings: z.string(), summary: z.string() })
      .optional()
      .describe('Keys of the reports in the drop bucket.'),
    failureReason: z.string().optional(),
    appliedTags: z
      .array(z.string())
      .optional()
      .describe(
        "Profile imports: tags every imported row got, the manifest's `tags` and its static list's tag.",
      ),
    segment: z
      .object({ segmentId: z.string(), name: z.string() })
      .optional()
      .describe("Profile imports: the static segment the manifest's `segment` names, which the rows joined."),
  })
  .meta({ id: 'Import' });

// The document and the record cannot drift apart: each type must be assignable to the other.
type Documented = z.output<typeof importRecordSchema>;
export type ImportRecordMatchesSchema = [ImportRecord extends Documented ? true : never] &
  [Documented extends ImportRecord ? true : never];
const _sameShape: ImportRecordMatchesSchema = [true];
void _sameShape;
