import type { SelectionCounts } from './run';
import { progressOf, type SendRecord } from './send-record';

// Live counts of a run without reading every send record: the sender keeps one small item per send
// batch, the counts of that batch's records by status (and channel, variant, reason), rebuilt from
// the records themselves after each pass over the batch. Rebuilt, not incremented, so a redelivered
// batch or a crash between the records and the counts can never count a recipient twice; `progress`
// (the sum of the records' steps, each its write count, which only grows) lets a later view replace
// an earlier one and never the reverse. A run's counts are the sum of its batches' and its selection's.

/** `status`, `status:channel:variant` for sent, `status:reason` for skipped and failed. */
export type BatchCounts = Readonly<Record<string, number>>;

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The counts of one batch's records, and how far along they are. */
export const countBatch = (
  records: readonly SendRecord[],
): { readonly counts: BatchCounts; readonly progress: number } => {
  const counts: Record<string, number> = {};
  let progress = 0;
  for (const r of records) {
    progress += progressOf(r);
    bump(counts, r.status);
    if (r.status === 'sent') bump(counts, `sent:${r.channel ?? 'email'}:${r.variant ?? 0}`);
    if (r.status === 'skipped' || r.status === 'failed') bump(counts, `${r.status}:${r.reason ?? 'unknown'}`);
  }
  return { counts, progress };
};

export const sumCounts = (all: readonly BatchCounts[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const counts of all) for (const [key, n] of Object.entries(counts)) total[key] = (total[key] ?? 0) + n;
  return total;
};

export interface RunCounts {
  readonly audience: number;
  readonly control: number;
  readonly globalControl: number;
  /** Treated recipients handed to the sender. */
  readonly queued: number;
  /** Of those, not yet looked at by the sender. */
  readonly waiting: number;
  readonly sent: number;
  readonly sentByChannel: Readonly<Record<string, number>>;
  readonly sentByVariant: Readonly<Record<string, number>>;
  readonly skipped: number;
  readonly skippedByReason: Readonly<Record<string, number>>;
  /** Held for quiet hours or local time, to go out later. */
  readonly deferred: number;
  /** Claimed and being sent right now. */
  readonly sending: number;
  readonly failed: number;
  readonly failedByReason: Readonly<Record<string, number>>;
  /** Claimed by an attempt that died: SES may have sent it; never sent again automatically. */
  readonly inDoubt: number;
}

/** The counts a client reads, from the selection and the sum of the batches. */
export const runCounts = (
  selection: SelectionCounts,
  batches: Readonly<Record<string, number>>,
): RunCounts => {
  const by = (prefix: string, parts: (key: string[]) => string | undefined) => {
    const out: Record<string, number> = {};
    for (const [key, n] of Object.entries(batches)) {
      if (!key.startsWith(`${prefix}:`)) continue;
      const name = parts(key.split(':').slice(1));
      if (name !== undefined) out[name] = (out[name] ?? 0) + n;
    }
    return out;
  };
  const n = (status: string) => batches[status] ?? 0;
  const decided = ['skipped', 'deferred', 'sending', 'sent', 'failed', 'in_doubt'].reduce(
    (sum, s) => sum + n(s),
    0,
  );
  return {
    audience: selection.audience,
    control: selection.control,
    globalControl: selection.globalControl,
    queued: selection.queued,
    waiting: Math.max(0, selection.queued - decided),
    sent: n('sent'),
    sentByChannel: by('sent', ([channel]) => channel),
    sentByVariant: by('sent', ([, variant]) => variant),
    skipped: n('skipped'),
    skippedByReason: by('skipped', ([reason]) => reason),
    deferred: n('deferred'),
    sending: n('sending'),
    failed: n('failed'),
    failedByReason: by('failed', ([reason]) => reason),
    inDoubt: n('in_doubt'),
  };
};

/** Every treated recipient decided for good: the run is complete once its audience is read. */
export const allDecided = (counts: RunCounts): boolean =>
  counts.waiting === 0 && counts.deferred === 0 && counts.sending === 0;
