import { InMemoryJobLeases } from '../jobs/in-memory-job-leases';
import type { PagePosition, ScanOptions, SegmentPosition } from '../jobs/scan-position';
import type { Profile } from '../profiles/profile';
import type { ProfileTable } from '../profiles/profile-store';
import type { CampaignRun, SendRecord } from './campaign-run';
import { type CampaignRunStore, FINISHED_CAMPAIGN_RUN_STATUSES } from './campaign-run-store';

/** Campaign runs and send records in memory, with the conditional semantics of the DynamoDB store. */
export class InMemoryCampaignRunStore implements CampaignRunStore {
  readonly leases = new InMemoryJobLeases<CampaignRun>({
    over: FINISHED_CAMPAIGN_RUN_STATUSES,
    counter: 'invocations',
  });
  readonly records = new Map<string, SendRecord>();
  private readonly key = (r: { runId: string; profileId: string }) => `${r.runId}/${r.profileId}`;

  claim(runId: string, owner: string, leaseMs: number, fresh?: CampaignRun) {
    return this.leases.claim(runId, owner, leaseMs, fresh);
  }
  checkpoint(runId: string, owner: string, changes: Partial<CampaignRun>, leaseMs: number) {
    return this.leases.checkpoint(runId, owner, changes, leaseMs);
  }
  release(runId: string, owner: string) {
    return this.leases.release(runId, owner);
  }
  finish(runId: string, owner: string, changes: Partial<CampaignRun>) {
    return this.leases.finish(runId, owner, changes);
  }
  async reopen(runId: string) {
    const stored = this.leases.items.get(runId);
    if (stored?.job.status !== 'completed') return false;
    const { checkpoint: _c, finishedAt: _f, ...job } = stored.job;
    this.leases.items.set(runId, {
      ...stored,
      job: { ...job, status: 'running', attempts: job.attempts + 1 },
    });
    return true;
  }
  async claimSend(record: SendRecord) {
    const existing = this.records.get(this.key(record));
    if (existing && !(existing.status === 'failed' && existing.retryable)) return false;
    this.records.set(this.key(record), record);
    return true;
  }
  async settleSend(record: SendRecord) {
    this.records.set(this.key(record), record);
  }
  async sends(runId: string) {
    return [...this.records.values()].filter((r) => r.runId === runId);
  }
  async get(runId: string) {
    return (await this.leases.read(runId))?.job;
  }
}

/**
 * Profiles in memory, scanned as DynamoDB scans: `segments` segments, pages of `pageSize`, a
 * position after each page, resumable from positions, stopped at page boundaries.
 */
export const inMemoryProfileTable = (
  profiles: Profile[],
  options: { readonly segments?: number; readonly pageSize?: number } = {},
): Pick<ProfileTable, 'get' | 'scanAttributes' | 'markReactivated'> & { pagesRead: number } => {
  const table = {
    pagesRead: 0,
    scanAttributes: async <K extends keyof Profile>(
      attributes: readonly K[],
      onPage: (page: Pick<Profile, K>[], after: PagePosition) => void | Promise<void>,
      scan: ScanOptions = {},
    ): Promise<SegmentPosition[]> => {
      const segments = scan.from?.length ?? options.segments ?? 1;
      const size = scan.pageSize ?? options.pageSize ?? 1;
      const pick = (p: Profile) =>
        Object.fromEntries(attributes.flatMap((a) => (a in p ? [[a, p[a]]] : []))) as Pick<Profile, K>;
      return Promise.all(
        Array.from({ length: segments }, async (_, segment): Promise<SegmentPosition> => {
          const mine = profiles.filter((_, i) => i % segments === segment);
          let position: SegmentPosition = scan.from?.[segment] ?? { done: false };
          while (!position.done) {
            if (scan.stop?.()) return position;
            const at = Number(position.next?.['at'] ?? 0);
            const page = mine.slice(at, at + size);
            table.pagesRead++;
            position = at + size < mine.length ? { next: { at: at + size }, done: false } : { done: true };
            await onPage(page.map(pick), { ...position, segment, segments });
          }
          return position;
        }),
      );
    },
    get: async (profileId: string) => profiles.find((p) => p.profileId === profileId),
    markReactivated: async (profileId: string, at: string) => {
      const i = profiles.findIndex((p) => p.profileId === profileId);
      profiles[i] = { ...profiles[i]!, lastReactivationAt: at };
    },
  };
  return table;
};
