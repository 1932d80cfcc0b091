import { createHash } from 'node:crypto';
import type { FileStore } from '../files/file-store';
import type { OpsNotifier } from '../ops/ops-notifier';
import { IdentityConflictError, type ProfileService } from '../profiles/profile-service';
import { ValidationError } from '../shared/domain-errors';
import { emptyCounts, type ImportCounts, type ImportRecord } from './import-record';
import type { ImportStore } from './import-store';
import { type ColumnPlan, planColumns, rowToFields } from './profile-columns';
import { readCsvRows } from './read-csv-rows';
import type { S3ObjectRef } from './s3-object-ref';

export interface ImportDeps {
  readonly imports: ImportStore;
  readonly profiles: ProfileService;
  readonly files: FileStore;
  readonly ops?: OpsNotifier;
  readonly now?: () => Date;
  /** How long one invocation owns an import before another may take it over (its timeout). */
  readonly leaseMs: number;
  readonly reportsPrefix: string;
}

export interface Reject {
  readonly row: number;
  readonly line: number;
  readonly reason: string;
}

/** The same object (bucket, key, ETag) is always the same import; a changed file is a new one. */
export const importIdOf = (ref: S3ObjectRef): string =>
  `imp_${createHash('sha256').update(`${ref.bucket}\n${ref.key}\n${ref.eTag}`).digest('hex').slice(0, 24)}`;

/** A CSV field as spreadsheets read it back: quoted when needed, formulas neutralised. */
const csvField = (value: string | number): string => {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const rejectsCsv = (rejects: readonly Reject[]): string =>
  ['row,line,reason', ...rejects.map((r) => [r.row, r.line, r.reason].map(csvField).join(','))].join('\n') +
  '\n';

const reasonOf = (error: unknown): string | undefined => {
  if (error instanceof ValidationError) return error.details.map((d) => `${d.path}: ${d.message}`).join('; ');
  if (error instanceof IdentityConflictError) return `conflict: ${error.message}`;
  return undefined;
};

/** Rows in flight at once; rows sharing an identifier never run together. */
const CONCURRENCY = 16;

/**
 * Imports one profile CSV from the drop bucket, exactly once per object version: every row ends as
 * created, updated, unchanged or rejected (with row, line and reason), and the counts add up.
 */
export const importProfileFile = async (deps: ImportDeps, ref: S3ObjectRef): Promise<ImportRecord> => {
  const now = deps.now ?? (() => new Date());
  const importId = importIdOf(ref);
  const started: ImportRecord = {
    importId,
    status: 'running',
    file: ref,
    startedAt: now().toISOString(),
    counts: emptyCounts(),
  };
  const claim = await deps.imports.claim(started, deps.leaseMs);
  if (claim.outcome === 'done') return claim.record;
  if (claim.outcome === 'busy')
    throw new Error(`import ${importId} is being processed by another invocation`);

  const counts: ImportCounts = emptyCounts();
  const rejects: Reject[] = [];
  const reject = (row: number, line: number, reason: string) => {
    counts.rejected++;
    rejects.push({ row, line, reason });
  };
  let plan: ColumnPlan | undefined;
  let failureReason: string | undefined;
  const source = `drop-folder:${ref.key}`;
  const inFlight = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();

  for await (const record of readCsvRows(await deps.files.read(ref.bucket, ref.key))) {
    if (record.row === 0) {
      if ('error' in record) {
        failureReason = `the header row cannot be read: ${record.error}`;
        continue;
      }
      plan = planColumns(record.cells);
      if (plan.errors.length > 0) failureReason = `bad header: ${plan.errors.join('; ')}`;
      continue;
    }
    counts.rowsRead++;
    if (failureReason || !plan) {
      reject(record.row, record.line, failureReason ?? 'no header row');
      continue;
    }
    if ('error' in record) {
      reject(record.row, record.line, `unreadable CSV record: ${record.error}`);
      continue;
    }
    if (record.cells.length !== plan.columns.length) {
      reject(
        record.row,
        record.line,
        `has ${record.cells.length} fields, the header has ${plan.columns.length}`,
      );
      continue;
    }
    const mapped = rowToFields(plan, record.cells, { now: now().toISOString(), source });
    if ('errors' in mapped) {
      reject(record.row, record.line, mapped.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
      continue;
    }
    const { fields } = mapped;
    const keys = deps.profiles.identityKeys(fields);
    const after = Promise.all(keys.map((k) => inFlight.get(k)));
    const work: Promise<void> = after
      .then(() => deps.profiles.upsert(fields, { kind: 'internal', source }))
      .then(
        ({ outcome }) => {
          counts[outcome]++;
        },
        (error: unknown) => {
          const reason = reasonOf(error);
          if (reason === undefined) throw error;
          reject(record.row, record.line, reason);
        },
      )
      .finally(() => {
        running.delete(work);
        for (const k of keys) if (inFlight.get(k) === work) inFlight.delete(k);
      });
    for (const k of keys) inFlight.set(k, work);
    running.add(work);
    if (running.size >= CONCURRENCY) await Promise.race(running);
  }
  await Promise.all(running);

  const accounted = counts.created + counts.updated + counts.unchanged + counts.rejected;
  if (accounted !== counts.rowsRead)
    throw new Error(`import ${importId}: ${counts.rowsRead} rows read, ${accounted} accounted`);

  rejects.sort((a, b) => a.row - b.row);
  const reports = {
    rejects: `${deps.reportsPrefix}${importId}/rejects.csv`,
    summary: `${deps.reportsPrefix}${importId}/summary.json`,
  };
  const finished: ImportRecord = {
    ...started,
    status: failureReason ? 'failed' : 'completed',
    finishedAt: now().toISOString(),
    counts,
    ignoredColumns: [...(plan?.ignored ?? [])],
    reports,
    ...(failureReason ? { failureReason } : {}),
  };
  await deps.files.write(ref.bucket, reports.rejects, rejectsCsv(rejects), 'text/csv; charset=utf-8');
  await deps.files.write(
    ref.bucket,
    reports.summary,
    `${JSON.stringify(finished, null, 2)}\n`,
    'application/json',
  );
  await deps.imports.finish(finished);
  await deps.ops?.notify(`Import ${finished.status}: ${importId}`, {
    importId,
    status: finished.status,
    counts,
    key: ref.key,
  });
  return finished;
};
