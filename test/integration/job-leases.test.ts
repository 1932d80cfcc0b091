/**
 * One behaviour for job claims and leases, held by the DynamoDB adapter (on DynamoDB Local) and the
 * in-memory fake the use-case tests use: if the two ever differ, a use-case test could pass on the
 * fake while the deployed job misbehaves.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbJobLeases } from '../../functions/jobs/dynamodb-job-leases';
import { InMemoryJobLeases } from '../../functions/jobs/in-memory-job-leases';
import type { JobLeases } from '../../functions/jobs/job-leases';
import { documentClient, endpoints, unique } from './support';

interface TestJob {
  readonly status: 'running' | 'done' | 'failed';
  readonly attempts: number;
  readonly progress: { readonly invocations: number; readonly rows?: number };
  readonly note?: string;
  readonly cursor?: Record<string, unknown>;
}

const fresh: TestJob = { status: 'running', attempts: 1, progress: { invocations: 1 } };
let clock = Date.parse('2026-12-03T10:00:00Z');
const now = () => clock;
const options = (counter: string) => ({ over: ['done', 'failed'], counter, now });

const implementations: [string, (counter: string) => JobLeases<TestJob>][] = [
  ['in memory', (counter) => new InMemoryJobLeases<TestJob>(options(counter))],
  [
    'on DynamoDB',
    (counter) =>
      new DynamoDbJobLeases<TestJob>(documentClient(), endpoints().tables.jobs, {
        ...options(counter),
        key: (id) => ({ pk: `TEST#${id}`, sk: 'JOB' }),
      }),
  ],
];

describe.each(implementations)('job leases %s', (_, make) => {
  it('makes one job of many deliveries: created once, then busy for others while the lease holds', async () => {
    const leases = make('attempts');
    const id = unique('job');
    expect(await leases.claim(id, 'a', 60_000, fresh)).toEqual({
      outcome: 'claimed',
      job: fresh,
      created: true,
    });
    expect(await leases.claim(id, 'b', 60_000, fresh)).toEqual({ outcome: 'busy', job: fresh });
    // The holder itself may claim again (a retried step): one more attempt.
    const again = await leases.claim(id, 'a', 60_000, fresh);
    expect(again).toEqual({ outcome: 'claimed', job: { ...fresh, attempts: 2 }, created: false });
    expect((await leases.read(id))?.lease).toEqual({ owner: 'a', until: clock + 60_000 });
  });

  it('frees the job of a crashed invocation when its lease runs out, and at once when released', async () => {
    const leases = make('attempts');
    const id = unique('job');
    await leases.claim(id, 'a', 60_000, fresh);
    clock += 60_001;
    const taken = await leases.claim(id, 'b', 60_000);
    expect(taken).toMatchObject({ outcome: 'claimed', job: { attempts: 2 } });
    await leases.release(id, 'b');
    expect(await leases.claim(id, 'c', 60_000)).toMatchObject({ outcome: 'claimed', job: { attempts: 3 } });
    // A release by someone who does not hold the lease changes nothing.
    await leases.release(id, 'b');
    expect(await leases.claim(id, 'd', 60_000)).toMatchObject({ outcome: 'busy' });
  });

  it('writes checkpoints only while holding the lease, and extends it', async () => {
    const leases = make('attempts');
    const id = unique('job');
    await leases.claim(id, 'a', 60_000, { ...fresh, note: 'first' });
    clock += 30_000;
    expect(await leases.checkpoint(id, 'a', { cursor: { segment: 1 }, note: undefined }, 60_000)).toBe(true);
    expect(await leases.read(id)).toEqual({
      job: { ...fresh, cursor: { segment: 1 } },
      lease: { owner: 'a', until: clock + 60_000 },
    });
    clock += 61_000;
    await leases.claim(id, 'b', 60_000);
    // 'a' ran past its lease and 'b' took over: 'a' can no longer write.
    expect(await leases.checkpoint(id, 'a', { cursor: { segment: 9 } }, 60_000)).toBe(false);
    expect(await leases.finish(id, 'a', { status: 'done' })).toBe(false);
    expect((await leases.read(id))?.job).toMatchObject({ status: 'running', cursor: { segment: 1 } });
  });

  it('never claims a finished job again, and keeps no lease on it', async () => {
    const leases = make('attempts');
    const id = unique('job');
    await leases.claim(id, 'a', 60_000, fresh);
    expect(await leases.finish(id, 'a', { status: 'done', note: 'ok' })).toBe(true);
    const done = { ...fresh, status: 'done', note: 'ok' };
    expect(await leases.read(id)).toEqual({ job: done });
    expect(await leases.claim(id, 'a', 60_000, fresh)).toEqual({ outcome: 'over', job: done });
    expect(await leases.checkpoint(id, 'a', { note: 'late' }, 60_000)).toBe(false);
  });

  it('claims a queued job that was created without a lease; knows a missing one', async () => {
    const leases = make('progress.invocations');
    const id = unique('job');
    expect(await leases.claim(id, 'a', 60_000)).toEqual({ outcome: 'missing' });
    expect(await leases.create(id, { ...fresh, progress: { invocations: 0, rows: 5 } })).toBe(true);
    expect(await leases.create(id, fresh)).toBe(false);
    expect(await leases.claim(id, 'a', 60_000)).toEqual({
      outcome: 'claimed',
      job: { ...fresh, progress: { invocations: 1, rows: 5 } },
      created: false,
    });
  });
});
