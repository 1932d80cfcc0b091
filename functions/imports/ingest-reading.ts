import { toCsvField } from '../ingest/formula-cell';
import { openIngestFile } from '../ingest/open-ingest-file';
import { planColumns } from '../ingest/plan-columns';
import type { FileReading } from './record-source';

/**
 * Files read by the ingest library: gzip, BOM/UTF-16/GB18030/Windows-1252, CSV with any delimiter,
 * JSON Lines and whitespace-separated columns; columns matched with the English and Chinese aliases.
 */
export const ingestReading: FileReading = {
  open: async (input, manifest) => {
    const file = await openIngestFile(input, { manifest });
    return {
      ...(file.columns ? { columns: file.columns } : {}),
      detected: () => ({ ...file.detected }),
      hints: () => ({
        ...(file.detected.dateOrder ? { dateOrder: file.detected.dateOrder } : {}),
        ...(file.detected.decimalSeparatorHint
          ? { decimalSeparatorHint: file.detected.decimalSeparatorHint }
          : {}),
      }),
      records: file.records,
    };
  },
  mapColumns: (columns, manifest, kind) => {
    const plan = planColumns(columns, kind, manifest);
    return { fields: plan.targets, ignored: plan.ignored, errors: plan.errors, warnings: plan.warnings };
  },
  csvField: toCsvField,
};
