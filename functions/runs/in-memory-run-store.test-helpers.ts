import type { Run } from './run';
import type { BatchCounts } from './run-counts';
import type { RecordExpectation, RunStore } from './run-store';
import type { SendRecord } from './send-record';

/** The RunStore's record and count semantics in memory, for the sender's unit tests. */
export class InMemoryRunStore
  implements Pick<RunStore, 'get' | 'records' | 'put' | 'putBatchCounts' | 'countsOf'>
{
  readonly runs = new Map<string, Run>();
  readonly sends = new Map<string, SendRecord>();
  readonly counts = new Map<string, { counts: BatchCounts; progress: number }>();

  async get(runId: string) {
    return this.runs.get(runId);
  }
  async records(runId: string, profileIds: readonly string[]) {
    const out = new Map<string, SendRecord>();
    for (const id of profileIds) {
      const r = this.sends.get(`${runId}/${id}`);
      if (r) out.set(id, r);
    }
    return out;
  }
  async put(record: SendRecord, expect: RecordExpectation) {
    const key = `${record.runId}/${record.profileId}`;
    const r = this.sends.get(key);
    const ok =
      (expect.absent && !r) ||
      (r !== undefined &&
        ((expect.statuses?.includes(r.status) ?? false) ||
          (expect.claimId !== undefined && r.status === 'sending' && r.claimId === expect.claimId) ||
          (expect.deferredDueBy !== undefined &&
            r.status === 'deferred' &&
            (r.deferUntil ?? '') <= expect.deferredDueBy) ||
          (expect.claimedBefore !== undefined &&
            r.status === 'sending' &&
            (r.claimedAt ?? '') <= expect.claimedBefore)));
    if (ok) this.sends.set(key, record);
    return Boolean(ok);
  }
  async putBatchCounts(runId: string, batch: string, counts: BatchCounts, progress: number) {
    const key = `${runId}/${batch}`;
    const stored = this.counts.get(key);
    if (!stored || stored.progress <= progress) this.counts.set(key, { counts, progress });
  }
  async countsOf(runId: string) {
    const total: Record<string, number> = {};
    for (const [key, { counts }] of this.counts)
      if (key.startsWith(`${runId}/`))
        for (const [k, n] of Object.entries(counts)) total[k] = (total[k] ?? 0) + n;
    return total;
  }
}
