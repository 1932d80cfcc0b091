import { describe, expect, it } from 'vitest';
import type { Campaign } from '../campaigns/campaign';
import { InMemoryJobLeases } from '../jobs/in-memory-job-leases';
import type { AudienceReader, ReadPart } from '../segments/audience-reader';
import type { Segment } from '../segments/segment';
import { InMemoryRunStore } from './in-memory-run-store.test-helpers';
import { FINISHED_RUN_STATUSES, type Run } from './run';
import type { RunMessage, SendBatchMessage } from './run-messages';
import { type StartRunDeps, startRun } from './start-run';

const NOW = new Date('2026-12-02T10:00:00Z');
const campaign: Campaign = {
  campaignId: 'cmp_spring',
  name: 'Spring',
  segmentId: 'seg_all',
  channel: 'email',
  kind: 'marketing',
  templateId: 'tpl_mail',
  schedule: { type: 'manual' },
  controlGroup: { share: 0.2 },
  status: 'active',
  version: 3,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};
const segment: Segment = {
  segmentId: 'seg_all',
  name: 'All',
  rule: { attribute: 'tags', op: 'contains', value: 'in' },
  version: 1,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  usedBy: ['cmp_spring'],
};

/** One part, pages of `pageSize`, `stop` checked before each page as the real reader does. */
const audienceOf = (count: number): Pick<AudienceReader, 'readResumable'> => ({
  readResumable: async (_plan, _attributes, onPage, options = {}) => {
    const size = options.pageSize ?? 1000;
    let position: ReadPart = options.from?.[0] ?? { done: false, pages: 0 };
    while (!position.done) {
      if (options.stop?.()) return [position];
      const start = position.pages * size;
      const page = Array.from({ length: Math.min(size, count - start) }, (_, i) => ({
        profileId: `p${start + i}`,
        tags: (start + i) % 4 === 3 ? ['out'] : ['in'],
      }));
      position = {
        done: start + size >= count,
        pages: position.pages + 1,
        ...(start + size < count ? { next: { at: start + size } } : {}),
      };
      await onPage(page, 0, position);
    }
    return [position];
  },
});

const setup = (count: number, statusAfterPages?: { pages: number; status: Campaign['status'] }) => {
  const leases = new InMemoryJobLeases<Run>({ over: FINISHED_RUN_STATUSES, counter: 'invocations' });
  const records = new InMemoryRunStore();
  const batches: SendBatchMessage[] = [];
  const later: { message: RunMessage; delaySeconds: number }[] = [];
  let reads = 0;
  const deps: StartRunDeps = {
    runs: {
      claim: (...a) => leases.claim(...a),
      checkpoint: (...a) => leases.checkpoint(...a),
      release: (...a) => leases.release(...a),
      finish: (...a) => leases.finish(...a),
      put: (...a) => records.put(...a),
      countsOf: (...a) => records.countsOf(...a),
    },
    campaigns: {
      get: async () => {
        reads++;
        const pagesSoFar = new Set(batches.map((b) => b.batch.split('.')[1])).size;
        return statusAfterPages && pagesSoFar >= statusAfterPages.pages
          ? { ...campaign, status: statusAfterPages.status }
          : campaign;
      },
    },
    segments: { list: async () => [segment] },
    templates: { get: async () => ({ version: 7 }) },
    audience: audienceOf(count),
    sendBatches: async (b) => {
      batches.push(...b);
    },
    continueLater: async (message, delaySeconds) => {
      later.push({ message, delaySeconds });
    },
    settings: { globalControlShare: 0 },
    now: () => NOW,
    pageSize: 100,
    batchSize: 25,
  };
  return { deps, leases, records, batches, later, reads: () => reads };
};

const firing: RunMessage = { campaignId: 'cmp_spring', scheduledTime: NOW.toISOString() };

describe('startRun', () => {
  it('reads the audience once: control recorded, the rest queued in batches named by their page', async () => {
    const t = setup(1000);
    const step = await startRun(t.deps, firing);
    expect(step.outcome).toBe('selected');
    const run = 'run' in step ? step.run : undefined;
    expect(run).toMatchObject({
      status: 'sending',
      campaignVersion: 3,
      templates: [{ templateId: 'tpl_mail', version: 7 }],
    });
    const queued = t.batches.flatMap((b) => b.profileIds);
    const control = [...t.records.sends.values()].filter((r) => r.status === 'control');
    expect(queued.length + control.length).toBe(750);
    expect(run?.selection).toMatchObject({ audience: 750, control: control.length, queued: queued.length });
    expect(control.length).toBeGreaterThan(100);
    expect(control.length).toBeLessThan(200);
    expect(new Set(queued).size).toBe(queued.length);
    expect(t.batches[0]!.batch).toBe('0.1.0');
    expect(t.batches.every((b) => b.profileIds.length <= 25)).toBe(true);
    // The completion check comes a minute later.
    expect(t.later.at(-1)).toMatchObject({
      message: { runId: run?.runId, continuation: true },
      delaySeconds: 60,
    });
  });

  it('a redelivered firing reads nothing again: it only looks whether the run is complete', async () => {
    const t = setup(1000);
    await startRun(t.deps, firing);
    const queued = t.batches.length;
    const again = await startRun(t.deps, firing);
    expect(again.outcome).toBe('waiting');
    expect(t.batches).toHaveLength(queued);
  });

  it('stops reading the audience of a campaign cancelled meanwhile, and ends the run cancelled', async () => {
    const t = setup(10_000, { pages: 5, status: 'cancelled' });
    const step = await startRun(t.deps, firing);
    expect(step.outcome).toBe('cancelled');
    const pages = new Set(t.batches.map((b) => b.batch.split('.')[1])).size;
    expect(pages).toBeLessThanOrEqual(11);
    expect(pages).toBeGreaterThanOrEqual(10);
    expect((await t.leases.read(`run_spring_20261202T100000Z`))?.job.status).toBe('cancelled');
  });
});
