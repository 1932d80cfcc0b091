import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCdnow } from '../scoring/parse-cdnow';
import {
  type HistoryRow,
  InMemoryPurchaseHistory,
  InMemoryScoreWriter,
  InMemoryScoringRunStore,
  RecordingOps,
} from './in-memory-scoring.test-helpers';
import {
  AsOfInFutureError,
  RunInProgressError,
  requestScheduledRun,
  requestScoringRun,
} from './request-scoring-run';
import { type ScoringJobDeps, workOnScoringRun } from './run-scoring';
import type { ScoringRun } from './scoring-run';

const FIXTURE = new URL('../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url);
const within = (actual: number, published: number, relative: number) =>
  expect(Math.abs(actual - published) / published).toBeLessThan(relative);

let rows: HistoryRow[];
let customers: string[];

beforeAll(() => {
  rows = parseCdnow(readFileSync(FIXTURE, 'utf8')).map((t) => ({
    customerId: t.customerId,
    at: new Date(t.timestamp).toISOString(),
    amount: t.amount,
    receivedAt: '2026-01-01T00:00:00.000Z',
  }));
  customers = [...new Set(rows.map((r) => r.customerId))];
});

const setup = (overrides: Partial<ScoringJobDeps> = {}) => {
  const runs = new InMemoryScoringRunStore();
  const prospects = ['p-1', 'p-2', 'p-3'];
  const history = new InMemoryPurchaseHistory(rows, [...customers, ...prospects]);
  const scores = new InMemoryScoreWriter(new Set([...customers, ...prospects]));
  const ops = new RecordingOps();
  const continued: string[] = [];
  let clock = Date.parse('2026-11-22T10:00:00.000Z');
  const deps: ScoringJobDeps = {
    runs,
    history,
    scores,
    ops,
    continueLater: async (runId) => {
      continued.push(runId);
    },
    remainingMs: () => 900_000,
    owner: 'invocation-1',
    baseCurrency: 'USD',
    options: {},
    driftThreshold: 0.2,
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
    batchSize: 500,
    ...overrides,
  };
  return { deps, runs, history, scores, ops, continued, prospects };
};

const request = async (deps: ScoringJobDeps, asOf = '1997-09-30') =>
  requestScoringRun(
    { runs: deps.runs, enqueue: async () => {}, ...(deps.now ? { now: deps.now } : {}) },
    {
      asOf,
      timeUnit: 'week',
    },
    { timeUnit: 'day' },
  );

describe('a scoring run', () => {
  it('fits the paper parameters on the CDNOW sample and writes every profile its scores once', async () => {
    const { deps, scores, ops, runs, prospects } = setup();
    const queued = await request(deps);
    expect(queued).toMatchObject({ status: 'queued', asOf: '1997-09-30T23:59:59.999Z', timeUnit: 'week' });

    const step = await workOnScoringRun(deps, queued.runId);
    expect(step.outcome).toBe('finished');
    const run = (await runs.get(queued.runId))!;
    expect(run.status).toBe('succeeded');
    expect(run.lease).toBeUndefined();
    if (!run.fit?.bgNbd.ok || !run.fit.gammaGamma.ok) throw new Error('not fitted');
    within(run.fit.bgNbd.params.r, 0.243, 0.01);
    within(run.fit.bgNbd.params.alpha, 4.414, 0.01);
    within(run.fit.bgNbd.params.a, 0.793, 0.01);
    within(run.fit.bgNbd.params.b, 2.426, 0.01);
    within(run.fit.gammaGamma.params.p, 6.25, 0.01);
    within(run.fit.gammaGamma.params.q, 3.74, 0.01);
    within(run.fit.gammaGamma.params.gamma, 15.44, 0.01);
    expect(run.data).toMatchObject({ customers: 2360, purchasers: 2357, prospects: 3 });
    // Rows after 1997-09-30 are not used.
    expect(run.data!.transactions).toBe(rows.filter((r) => r.at <= '1997-09-30T23:59:59.999Z').length);

    // Every profile once, in one pass.
    expect(scores.writes).toBe(2360);
    expect(run.progress).toMatchObject({ total: 2360, written: 2360, missing: 0, superseded: 0 });
    const lifecycle = run.counts!.lifecycle;
    expect(Object.values(lifecycle).reduce((a, b) => a + b, 0)).toBe(2360);
    expect(lifecycle['prospect']).toBe(3);

    const prospect = scores.written.get(prospects[0]!)!;
    expect(prospect.scores).toMatchObject({
      lifecycle: 'prospect',
      rfm: null,
      clv: null,
      purchaseOccasions: 0,
    });
    expect(prospect.index).toEqual({});
    const customer = scores.written.get('00004')!; // first purchase on 1997-01-01
    expect(customer.scores.runId).toBe(run.runId);
    expect(customer.scores.pAlive).toBeGreaterThan(0);
    expect(customer.scores.pAlive).toBeLessThanOrEqual(1);
    expect(customer.scores.clv).toBeGreaterThanOrEqual(0);
    expect(customer.index.scoreRank).toMatch(/^\d{13}$/);
    expect(customer.index.scoreLifecycleTier).toMatch(/^[a-z-]+#[a-z-]+#[0-3]$/);

    expect(ops.notices.map((n) => n.subject)).toEqual(['Scoring run finished']);
    expect(JSON.stringify(ops.notices)).not.toMatch(/00004/);
  });

  it('hands over near the time limit and the next invocation resumes after the last profile written', async () => {
    let remaining = 900_000;
    const { deps, scores, runs, continued } = setup({ remainingMs: () => remaining });
    const queued = await request(deps);
    // Time runs short once the first batch of scores is written.
    const first = await workOnScoringRun(
      { ...deps, remainingMs: () => (scores.writes >= 1000 ? 1_000 : remaining) },
      queued.runId,
    );
    expect(first.outcome).toBe('continued');
    expect(continued).toEqual([queued.runId]);
    const paused = (await runs.get(queued.runId))!;
    expect(paused).toMatchObject({ status: 'writing', progress: { written: 1000 } });
    // Released, so the continuation claims it at once instead of waiting for the lease to run out.
    expect(paused.lease).toEqual({ owner: 'invocation-1', until: 0 });
    const fitBefore = paused.fit;

    remaining = 900_000;
    const second = await workOnScoringRun({ ...deps, owner: 'invocation-2' }, queued.runId);
    expect(second.outcome).toBe('finished');
    const run = (await runs.get(queued.runId))!;
    expect(run.fit).toEqual(fitBefore);
    expect(run.attempts).toBe(2);
    expect(run.progress).toMatchObject({ total: 2360, written: 2360 });
    // No profile was written twice.
    expect(scores.writes).toBe(2360);
    expect(scores.written.size).toBe(2360);
  });

  it('does nothing for a redelivered message of a finished run, and waits for another invocation’s claim', async () => {
    const { deps, runs } = setup();
    const queued = await request(deps);
    await runs.claim(queued.runId, 'someone-else', 3600_000);
    expect(await workOnScoringRun(deps, queued.runId)).toEqual({ outcome: 'busy', runId: queued.runId });

    const { deps: deps2 } = setup();
    const again = await request(deps2);
    expect((await workOnScoringRun(deps2, again.runId)).outcome).toBe('finished');
    expect(await workOnScoringRun(deps2, again.runId)).toEqual({
      outcome: 'nothing-to-do',
      runId: again.runId,
      status: 'succeeded',
    });
    expect(await workOnScoringRun(deps2, 'no-such-run')).toEqual({
      outcome: 'nothing-to-do',
      runId: 'no-such-run',
    });
  });

  it('records the error of a failing attempt, and fails the run (telling ops) after the last attempt', async () => {
    const { deps, runs, ops, history } = setup();
    history.read = async () => {
      throw new Error('throttled');
    };
    const queued = await request(deps);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await expect(
        workOnScoringRun({ ...deps, owner: `invocation-${attempt}` }, queued.runId),
      ).rejects.toThrow('throttled');
      const run = (await runs.get(queued.runId))!;
      expect(run.attempts).toBe(attempt);
      expect(run.error).toBe('throttled');
      expect(run.status).toBe(attempt < 3 ? 'running' : 'failed');
    }
    expect(ops.notices.map((n) => n.subject)).toEqual(['Scoring run failed']);
  });

  it('uses only events received before the run started', async () => {
    const { deps, runs, history } = setup();
    history.rows = [
      ...rows,
      {
        customerId: '00004',
        at: '1997-09-01T00:00:00.000Z',
        amount: 10,
        receivedAt: '2099-01-01T00:00:00.000Z',
      },
    ];
    const queued = await request(deps);
    await workOnScoringRun(deps, queued.runId);
    const run = (await runs.get(queued.runId))!;
    expect(run.data!.transactions).toBe(rows.filter((r) => r.at <= '1997-09-30T23:59:59.999Z').length);
  });

  it('skips a profile deleted since it was read, and leaves a profile a later run has scored', async () => {
    const { deps, runs, scores } = setup();
    scores.existing.delete('00004');
    const queued = await request(deps);
    await workOnScoringRun(deps, queued.runId);
    const run = (await runs.get(queued.runId))!;
    expect(run.progress).toMatchObject({ written: 2359, missing: 1, superseded: 0 });
    expect(scores.written.has('00004')).toBe(false);

    const later = {
      ...scores.written.get(customers[1]!)!,
      scores: { ...scores.written.get(customers[1]!)!.scores, runId: '29990101T000000000Z-later' },
    };
    scores.written.set(customers[1]!, later);
    const second = await request(deps);
    await workOnScoringRun(deps, second.runId);
    expect((await runs.get(second.runId))!.progress).toMatchObject({ superseded: 1 });
    expect(scores.written.get(customers[1]!)!.scores.runId).toBe('29990101T000000000Z-later');
  });
});

describe('model monitoring', () => {
  it('back-tests the previous run: its predictions for weeks 40-78 against the purchases made', async () => {
    const { deps, runs, ops } = setup();
    const first = await request(deps, '1997-09-30');
    await workOnScoringRun(deps, first.runId);
    const second = await request(deps, '1998-06-30');
    await workOnScoringRun(deps, second.runId);
    const run = (await runs.get(second.runId))! as any;
    // The holdout check of the paper, run by the job: 39 weeks, the 2,357 customers of the first run.
    expect(run.backTest).toMatchObject({
      previousRunId: first.runId,
      elapsed: 39,
      customers: 2357,
      actualTotal: 1882,
    });
    expect(run.backTest.predictedTotal).toBeCloseTo(1653.4, 0);
    expect(run.backTest.deciles).toHaveLength(10);
    expect(run.drift).toEqual({ flagged: false, reasons: expect.any(Array) });
    expect(ops.notices.map((n) => n.subject)).toEqual(['Scoring run finished', 'Scoring run finished']);
    // Grids: every purchaser in one cell.
    const cells = (run.rfmGrid.customers as number[][]).flat().reduce((a, b) => a + b, 0);
    expect(cells).toBe(run.data.purchasers);
  });

  it('flags drift beyond the threshold, on the run and on the ops topic', async () => {
    const { deps, runs, ops } = setup({ driftThreshold: 0.1 });
    const first = await request(deps, '1997-09-30');
    await workOnScoringRun(deps, first.runId);
    const second = await request(deps, '1998-06-30');
    await workOnScoringRun(deps, second.runId);
    const run = (await runs.get(second.runId))!;
    expect(run.drift!.flagged).toBe(true);
    expect(run.drift!.reasons.join(' ')).toMatch(/12\.\d%|0\.12|-12/);
    const notice = ops.notices.find((n) => n.subject === 'Scoring model drift')!;
    expect(notice.detail).toMatchObject({ runId: second.runId });
  });

  it('does not back-test a run of another time unit', async () => {
    const { deps, runs } = setup();
    const first = await requestScoringRun(
      { runs: deps.runs, enqueue: async () => {}, now: deps.now! },
      {
        asOf: '1997-09-30',
        timeUnit: 'day',
      },
      { timeUnit: 'day' },
    );
    await workOnScoringRun(deps, first.runId);
    const second = await request(deps, '1998-06-30');
    await workOnScoringRun(deps, second.runId);
    const run = (await runs.get(second.runId))!;
    expect(run.backTest).toBeUndefined();
    expect(run.drift).toEqual({
      flagged: false,
      reasons: ['no earlier run with a fitted model to back-test'],
    });
  });
});

describe('requesting runs', () => {
  const now = () => new Date('2026-11-22T10:00:00.000Z');

  it('reads a date as the end of that day, defaults to now, and refuses a future asOf', async () => {
    const runs = new InMemoryScoringRunStore();
    const queue: string[] = [];
    const deps = { runs, enqueue: async (id: string) => void queue.push(id), now };
    const finish = async (run: ScoringRun) => runs.put({ ...run, status: 'succeeded' });
    const today = await requestScoringRun(deps, { asOf: '2026-11-22' }, { timeUnit: 'week' });
    expect(today.asOf).toBe('2026-11-22T10:00:00.000Z');
    await finish(today);
    const byDefault = await requestScoringRun(deps, {}, { timeUnit: 'day' });
    expect(byDefault).toMatchObject({ asOf: '2026-11-22T10:00:00.000Z', timeUnit: 'day' });
    await finish(byDefault);
    const zoned = await requestScoringRun(deps, { asOf: '2026-11-22T12:00:00+02:00' }, { timeUnit: 'week' });
    expect(zoned.asOf).toBe('2026-11-22T10:00:00.000Z');
    await finish(zoned);
    await expect(
      requestScoringRun(deps, { asOf: '2026-11-23' }, { timeUnit: 'week' }),
    ).rejects.toBeInstanceOf(AsOfInFutureError);
    await expect(
      requestScoringRun(deps, { asOf: '2026-11-22T10:06:00Z' }, { timeUnit: 'week' }),
    ).rejects.toBeInstanceOf(AsOfInFutureError);
    expect(queue).toHaveLength(3);
    expect(new Set(queue).size).toBe(3);
  });

  it('refuses a second run while one is in progress, but not behind a run that died long ago', async () => {
    const runs = new InMemoryScoringRunStore();
    let clock = Date.parse('2026-11-22T10:00:00.000Z');
    const deps = { runs, enqueue: async () => {}, now: () => new Date(clock) };
    const first = await requestScoringRun(deps, {}, { timeUnit: 'week' });
    await expect(requestScoringRun(deps, {}, { timeUnit: 'week' })).rejects.toEqual(
      new RunInProgressError(first.runId),
    );
    // Working, with an active claim, long after it was requested.
    clock += 2 * 3600_000;
    runs.put({ ...first, status: 'writing' }, { owner: 'x', until: clock + 60_000 });
    await expect(requestScoringRun(deps, {}, { timeUnit: 'week' })).rejects.toBeInstanceOf(
      RunInProgressError,
    );
    // Its invocation died: no active claim, requested hours ago.
    clock += 120_000;
    const next = await requestScoringRun(deps, {}, { timeUnit: 'week' });
    expect(next.runId).not.toBe(first.runId);
  });

  it('names a scheduled run by its firing, so a retried firing finds it and a finished one is not queued again', async () => {
    const runs = new InMemoryScoringRunStore();
    const queue: string[] = [];
    const deps = { runs, enqueue: async (id: string) => void queue.push(id), now };
    const first = await requestScheduledRun(deps, '2026-11-22T02:00:00Z', 'week');
    const retry = await requestScheduledRun(deps, '2026-11-22T02:00:00Z', 'week');
    expect(first.runId).toBe('20261122T020000000Z-nightly');
    expect(retry.runId).toBe(first.runId);
    expect(runs.runs.size).toBe(1);
    expect(queue).toEqual([first.runId, first.runId]);
    runs.put({ ...first, status: 'succeeded' });
    await requestScheduledRun(deps, '2026-11-22T02:00:00Z', 'week');
    expect(queue).toHaveLength(2);
  });
});
