import type { Manifest } from '../ingest/manifest';
import type { ChunkJournal, ImportKind } from './import-record';
import type { ImportStore } from './import-store';
import type { ColumnMapping, FileReading, SourceRecord } from './record-source';
import type { CleanContext, RowProcessor, RowRef } from './row-processor';

const MAX_RAW_IN_JOURNAL = 2000;

export interface ChunkReading {
  readonly reading: FileReading;
  readonly manifest: Manifest;
  readonly kind: ImportKind;
  /** The file's column mapping; undefined when each record carries its own keys (JSON Lines). */
  readonly mapping: ColumnMapping | undefined;
  readonly fileError: string | undefined;
}

/** Cleans, plans, journals and commits one chunk; returns the journal that counts. */
export const processChunk = async <T, C extends string>(
  imports: Pick<ImportStore, 'journal'>,
  processor: RowProcessor<T, C>,
  context: CleanContext,
  importId: string,
  records: readonly SourceRecord[],
  file: ChunkReading,
  chunkSize: number,
): Promise<ChunkJournal> => {
  const keyMappings = new Map<string, ColumnMapping>();
  const counts: Record<string, number> = { rowsRead: records.length, rejected: 0, warnings: 0 };
  for (const c of processor.counters) counts[c] = 0;
  const rejects: { row: number; line: number; reasons: string[]; raw: string }[] = [];
  const warnings: { row: number; line: number; warnings: string[] }[] = [];
  const valid: { ref: RowRef; value: T }[] = [];
  const reject = (rec: SourceRecord, reasons: readonly string[]) => {
    counts.rejected!++;
    rejects.push({
      row: rec.row,
      line: rec.line,
      reasons: [...reasons],
      raw: rec.raw.slice(0, MAX_RAW_IN_JOURNAL),
    });
  };
  for (const rec of records) {
    if (file.fileError) {
      reject(rec, [file.fileError]);
      continue;
    }
    if ('error' in rec) {
      reject(rec, [`unreadable record: ${rec.error}`]);
      continue;
    }
    let fields: Record<string, string>;
    if ('values' in rec) {
      // JSON Lines: map this record's own keys (cached per key set).
      const keys = Object.keys(rec.values);
      const signature = keys.join('\u0000');
      let mapping = keyMappings.get(signature);
      if (!mapping) {
        mapping = file.reading.mapColumns(keys, file.manifest, file.kind);
        keyMappings.set(signature, mapping);
      }
      if (mapping.errors.length > 0) {
        reject(rec, mapping.errors);
        continue;
      }
      fields = fieldsOf(
        mapping,
        keys.map((k) => rec.values[k] ?? ''),
      );
    } else {
      if (!file.mapping) {
        reject(rec, ['the file has no header row (give columnNames in the manifest)']);
        continue;
      }
      if (rec.cells.length !== file.mapping.fields.length) {
        reject(rec, [`has ${rec.cells.length} fields, the header has ${file.mapping.fields.length}`]);
        continue;
      }
      fields = fieldsOf(file.mapping, rec.cells);
    }
    const cleaned = processor.clean(fields, context);
    const rowWarnings = cleaned.warnings ?? [];
    if (rowWarnings.length > 0) {
      counts.warnings!++;
      warnings.push({ row: rec.row, line: rec.line, warnings: [...rowWarnings] });
    }
    if ('reasons' in cleaned) {
      reject(rec, cleaned.reasons);
      continue;
    }
    valid.push({ ref: { row: rec.row, line: rec.line, raw: rec.raw }, value: cleaned.value });
  }
  const prepared = await processor.prepare(valid, context);
  for (const o of prepared.outcomes) {
    if ('reasons' in o) {
      counts.rejected!++;
      rejects.push({
        row: o.ref.row,
        line: o.ref.line,
        reasons: [...o.reasons],
        raw: o.ref.raw.slice(0, MAX_RAW_IN_JOURNAL),
      });
    } else counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  }
  rejects.sort((a, b) => a.row - b.row);
  const firstRow = records[0]!.row;
  const lastRow = records[records.length - 1]!.row;
  const journal = await imports.journal(importId, {
    chunk: Math.floor((firstRow - 1) / chunkSize),
    firstRow,
    lastRow,
    counts,
    rejects,
    warnings,
  });
  await prepared.commit();
  return journal;
};

const fieldsOf = (mapping: ColumnMapping, cells: readonly string[]): Record<string, string> => {
  const fields: Record<string, string> = {};
  mapping.fields.forEach((field, i) => {
    if (field) fields[field] = cells[i] ?? '';
  });
  return fields;
};
