import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FileStore } from '../files/file-store';
import { JobBusyError } from '../jobs/job-busy-error';
import { LeaseLostError } from '../jobs/lease-lost-error';
import { timeBudget } from '../jobs/time-budget';
import type { OpsNotifier } from '../ops/ops-notifier';
import { emptyCounts, type ImportCounts, type ImportKind, type ImportRecord } from './import-record';
import type { ImportStore } from './import-store';
import { ingestReading } from './ingest-reading';
import { processChunk } from './process-chunk';
import { readManifest } from './read-manifest';
import type { ColumnMapping, FileReading, RecordSource, SourceRecord } from './record-source';
import type { CleanContext, ImportApplied, RowProcessor } from './row-processor';
import type { S3ObjectRef } from './s3-object-ref';

export interface ImportFileDeps {
  readonly imports: ImportStore;
  readonly files: FileStore;
  readonly ops?: OpsNotifier;
  readonly reading?: FileReading;
  /** Sends the message that resumes this import in a fresh invocation. */
  readonly continueLater: (ref: S3ObjectRef) => Promise<void>;
  /** Milliseconds this invocation has left (Lambda's context.getRemainingTimeInMillis). */
  readonly remainingMs: () => number;
  /** Who is working: one id per invocation. */
  readonly owner: string;
  readonly reportsPrefix: string;
  readonly defaultCountry: string;
  readonly chunkSize?: number;
  readonly now?: () => Date;
  /** Stop and continue in a new invocation when less than this is left (default 60 s). */
  readonly reserveMs?: number;
}

export type ImportResult =
  | { readonly outcome: 'finished' | 'already-finished'; readonly record: ImportRecord }
  | { readonly outcome: 'continued'; readonly importId: string; readonly rowsDone: number };

/** The same object (bucket, key, ETag) is always the same import; a changed file is a new one. */
export const importIdOf = (ref: S3ObjectRef): string =>
  `imp_${createHash('sha256').update(`${ref.bucket}\n${ref.key}\n${ref.eTag}`).digest('hex').slice(0, 24)}`;

const DEFAULT_CHUNK = 500;

/** The reason's kind, for counting rejects by reason: the text before any detail. */
const reasonKind = (reason: string): string => reason.split(/[:(]/)[0]!.trim().slice(0, 80);

/**
 * Imports one dropped file, exactly once per object version, whatever the deliveries, crashes and
 * time limits. Rows are read in order and taken in chunks: each chunk is cleaned, planned by the
 * kind's processor, its outcomes journalled, then written; progress (the resume point) follows.
 * Near the time limit the import hands over to a fresh invocation. At the end the journal becomes
 * the reports, and rows read = the sum of the outcomes + rejected, or the import fails loudly.
 */
export const importFile = async <T, C extends string>(
  deps: ImportFileDeps,
  ref: S3ObjectRef,
  kind: ImportKind,
  processor: RowProcessor<T, C>,
): Promise<ImportResult> => {
  const now = deps.now ?? (() => new Date());
  const reading = deps.reading ?? ingestReading;
  const chunkSize = deps.chunkSize ?? DEFAULT_CHUNK;
  const budget = timeBudget(deps.remainingMs, { reserveMs: deps.reserveMs ?? 60_000 });
  const importId = importIdOf(ref);
  const startedAt = now().toISOString();
  const fresh: ImportRecord = {
    importId,
    kind,
    status: 'running',
    file: ref,
    startedAt,
    updatedAt: startedAt,
    counts: emptyCounts(processor.counters),
    progress: { rowsDone: 0, chunksDone: 0, bytesRead: 0, invocations: 1 },
  };
  const claim = await deps.imports.claim(fresh, budget.leaseMs(), deps.owner);
  if (claim.outcome === 'done') return { outcome: 'already-finished', record: claim.record };
  if (claim.outcome === 'busy') throw new JobBusyError(importId);
  const record = claim.record;

  try {
    const manifest = await readManifest(deps.files, ref);
    if ('error' in manifest)
      return { outcome: 'finished', record: await fail(deps, record, manifest.error, now) };

    const context: CleanContext = {
      importId,
      manifest: manifest.value,
      defaultCountry: manifest.value.defaultCountry ?? deps.defaultCountry,
      source: manifest.value.source ?? { name: `drop-folder:${ref.key}`, kind: 'internal' },
      now: record.startedAt,
    };
    const resumeAfter = record.progress.rowsDone;
    const counts: ImportCounts = { ...emptyCounts(processor.counters), ...record.counts };
    let bytesRead = 0;
    const counted = new PassThrough();
    counted.on('data', (chunk: Buffer) => {
      bytesRead += chunk.length;
    });
    const input = await deps.files.read(ref.bucket, ref.key);
    input.on('error', (e) => counted.destroy(e));
    input.pipe(counted);
    let source: RecordSource;
    try {
      source = await reading.open(counted, manifest.value, kind);
    } catch (error) {
      return {
        outcome: 'finished',
        record: await fail(deps, record, `the file cannot be read: ${(error as Error).message}`, now),
      };
    }

    // After the file opened (an unreadable file sets nothing up), before any row is read.
    let applied: ImportApplied = {};
    if (processor.begin) {
      const begun = await processor.begin(context, ref);
      if ('failureReason' in begun) {
        input.destroy();
        return { outcome: 'finished', record: await fail(deps, record, begun.failureReason, now) };
      }
      applied = begun.applied;
    }

    let fileError: string | undefined;
    const mapping: ColumnMapping | undefined = source.columns
      ? reading.mapColumns(source.columns, manifest.value, kind)
      : undefined;
    if (mapping && mapping.errors.length > 0) fileError = `bad header: ${mapping.errors.join('; ')}`;
    let chunk: SourceRecord[] = [];
    let chunksDone = record.progress.chunksDone;
    let rowsDone = resumeAfter;
    const invocationStart = Date.now();
    let rowsThisInvocation = 0;

    const runChunk = async (records: SourceRecord[]): Promise<void> => {
      const journal = await processChunk(
        deps.imports,
        processor,
        { ...context, detected: source.hints() },
        importId,
        records,
        { reading, manifest: manifest.value, kind, mapping, fileError },
        chunkSize,
      );
      for (const [name, n] of Object.entries(journal.counts)) counts[name] = (counts[name] ?? 0) + n;
      rowsDone = journal.lastRow;
      chunksDone = journal.chunk + 1;
      rowsThisInvocation += records.length;
      const seconds = (Date.now() - invocationStart) / 1000;
      const rowsPerSecond = seconds > 0 ? rowsThisInvocation / seconds : undefined;
      const bytesPerSecond = seconds > 0 ? bytesRead / seconds : 0;
      const held = await deps.imports.progress(
        importId,
        deps.owner,
        {
          rowsDone,
          chunksDone,
          bytesRead,
          invocations: record.progress.invocations,
          ...(rowsPerSecond ? { rowsPerSecond: Math.round(rowsPerSecond) } : {}),
          ...(bytesPerSecond > 0
            ? { secondsLeft: Math.max(0, Math.round((ref.size - bytesRead) / bytesPerSecond)) }
            : {}),
        },
        counts,
        budget.leaseMs(),
      );
      if (!held) throw new LeaseLostError(importId);
    };

    for await (const rec of source.records) {
      if (rec.row === 0) {
        if ('error' in rec) fileError = `the header row cannot be read: ${rec.error}`;
        continue;
      }
      if (rec.row <= resumeAfter) continue;
      chunk.push(rec);
      if (rec.row % chunkSize === 0) {
        await runChunk(chunk);
        chunk = [];
        if (budget.nearlyOut()) {
          input.destroy();
          await deps.imports.release(importId, deps.owner);
          await deps.continueLater(ref);
          return { outcome: 'continued', importId, rowsDone };
        }
      }
    }
    if (chunk.length > 0) await runChunk(chunk);

    // The journal, not the running counts, is the record: it counts every chunk exactly once.
    const journals = (await deps.imports.journals(importId)).sort((a, b) => a.chunk - b.chunk);
    const totals: ImportCounts = emptyCounts(processor.counters);
    const rejectedByReason: Record<string, number> = {};
    for (const j of journals) {
      for (const [name, n] of Object.entries(j.counts)) totals[name] = (totals[name] ?? 0) + n;
      for (const r of j.rejects) {
        const kindOf = reasonKind(r.reasons[0] ?? 'unknown');
        rejectedByReason[kindOf] = (rejectedByReason[kindOf] ?? 0) + 1;
      }
    }
    const accounted = processor.counters.reduce((sum, c) => sum + (totals[c] ?? 0), 0) + totals.rejected;
    if (accounted !== totals.rowsRead) {
      throw new Error(`import ${importId}: ${totals.rowsRead} rows read but ${accounted} accounted for`);
    }
    const reports = {
      rejects: `${deps.reportsPrefix}${importId}/rejects.csv`,
      warnings: `${deps.reportsPrefix}${importId}/warnings.csv`,
      summary: `${deps.reportsPrefix}${importId}/summary.json`,
    };
    const finished: ImportRecord = {
      ...record,
      status: fileError ? 'failed' : 'completed',
      updatedAt: now().toISOString(),
      finishedAt: now().toISOString(),
      manifest: manifest.value,
      detected: source.detected(),
      counts: totals,
      progress: { rowsDone, chunksDone, bytesRead: ref.size, invocations: record.progress.invocations },
      ignoredColumns: [...(mapping?.ignored ?? [])],
      ...(mapping && mapping.warnings.length > 0 ? { columnWarnings: [...mapping.warnings] } : {}),
      rejectedByReason,
      reports,
      ...(fileError ? { failureReason: fileError } : {}),
      ...applied,
    };
    const csvField = reading.csvField;
    const rejectLines = journals.flatMap((j) =>
      j.rejects.map((r) => [r.row, r.line, r.reasons.join('; '), r.raw].map(csvField).join(',')),
    );
    const warningLines = journals.flatMap((j) =>
      j.warnings.map((w) => [w.row, w.line, w.warnings.join('; ')].map(csvField).join(',')),
    );
    await deps.files.write(
      ref.bucket,
      reports.rejects,
      `row,line,reason,raw\n${rejectLines.map((l) => `${l}\n`).join('')}`,
      'text/csv; charset=utf-8',
    );
    await deps.files.write(
      ref.bucket,
      reports.warnings,
      `row,line,warning\n${warningLines.map((l) => `${l}\n`).join('')}`,
      'text/csv; charset=utf-8',
    );
    await deps.files.write(
      ref.bucket,
      reports.summary,
      `${JSON.stringify(finished, null, 2)}\n`,
      'application/json',
    );
    if (!(await deps.imports.finish(finished, deps.owner))) throw new LeaseLostError(importId);
    await deps.ops?.notify(`Import ${finished.status}: ${importId}`, {
      importId,
      kind,
      status: finished.status,
      counts: totals,
      key: ref.key,
      ...(fileError ? { failureReason: fileError } : {}),
    });
    return { outcome: 'finished', record: finished };
  } catch (error) {
    // Let a redelivery resume at once instead of waiting for the lease to run out.
    await deps.imports.release(importId, deps.owner).catch(() => undefined);
    throw error;
  }
};

const fail = async (deps: ImportFileDeps, record: ImportRecord, reason: string, now: () => Date) => {
  const failed: ImportRecord = {
    ...record,
    status: 'failed',
    failureReason: reason,
    updatedAt: now().toISOString(),
    finishedAt: now().toISOString(),
  };
  if (!(await deps.imports.finish(failed, deps.owner))) throw new LeaseLostError(record.importId);
  await deps.ops?.notify(`Import failed: ${record.importId}`, {
    importId: record.importId,
    failureReason: reason,
  });
  return failed;
};
