import type { CleanResult } from '../imports/row-processor';
import { cleanProfileRecord } from './clean-profile-record';
import { cleanTransactionRecord } from './clean-transaction-record';
import type { IngestContext } from './ingest-context';
import type { Manifest } from './manifest';
import { openIngestFile } from './open-ingest-file';
import { fieldsOfCells, type IngestKind, planColumns, valuesMapper } from './plan-columns';

export interface IngestedRow {
  readonly row: number;
  readonly line: number;
  readonly result: CleanResult<unknown>;
}

/**
 * The whole library in one pass over a stream: open, map columns, clean each record. Returns the
 * file-level errors (e.g. two columns for one field) or each data row's outcome. Meant for tests,
 * benches and tools; the import pipeline does the same steps with checkpoints in between.
 */
export const ingestRecords = async function* (
  input: AsyncIterable<Uint8Array | string>,
  kind: IngestKind,
  context: Omit<IngestContext, 'detected'>,
): AsyncGenerator<IngestedRow | { readonly fileErrors: readonly string[] }> {
  const manifest: Manifest = context.manifest;
  const file = await openIngestFile(input, { manifest });
  const withDetected: IngestContext = { ...context, detected: file.detected };
  const clean = kind === 'profiles' ? cleanProfileRecord : cleanTransactionRecord;
  const plan = file.columns ? planColumns(file.columns, kind, manifest) : undefined;
  const values = valuesMapper(kind, manifest);
  const fileErrors = plan ? plan.errors : values.errors;
  if (fileErrors.length > 0) {
    yield { fileErrors };
    await file.records.return(undefined);
    return;
  }
  for await (const record of file.records) {
    if (record.row === 0) continue;
    const { row, line } = record;
    if ('error' in record) {
      yield { row, line, result: { reasons: [record.error] } };
      continue;
    }
    const mapped = 'cells' in record ? fieldsOfCells(plan!, record.cells) : values.map(record.values);
    if ('reason' in mapped) {
      yield { row, line, result: { reasons: [mapped.reason] } };
      continue;
    }
    yield { row, line, result: clean(mapped.fields, withDetected) };
  }
};
