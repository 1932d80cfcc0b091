import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { manifestKeyFor } from '../../functions/ingest/manifest';
import { fitBgNbd } from '../../functions/scoring/bg-nbd';
import { fitGammaGamma } from '../../functions/scoring/gamma-gamma';
import { parseCdnow } from '../../functions/scoring/parse-cdnow';
import { prepareTransactions } from '../../functions/scoring/prepare-transactions';
import { DynamoDbScoreWriter } from '../../functions/scoring-job/dynamodb-score-writer';
import { lifecycleTierKeys, type ProfileScores } from '../../functions/scoring-job/profile-scores';
import { api, documentClient, endpoints, eventually, s3, unique } from './support';

/**
 * End to end: the CDNOW master file through the drop folder (the same object as the CDNOW import
 * test, so it is imported once whichever test runs first), then a scoring run as of 1997-09-30 in
 * weeks through the API, whose parameters must be those of fitting the raw file directly here.
 */
const file = readFileSync(new URL('../fixtures/cdnow/CDNOW_master.txt', import.meta.url));
const manifest = readFileSync(new URL('../../examples/cdnow.manifest.json', import.meta.url));
const key = 'imports/transactions/cdnow/CDNOW_master.txt';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/**
 * A GET while a scoring run works, retried on a 500 as the API's error says a client may (at most
 * three in a row). Locally a 500 here is the read function's 10 s timeout: DynamoDB Local answers
 * one request at a time, and while the run reads the purchase history its 1 MB Scan pages take
 * 3.2-3.7 s each, so a GetItem of the run waited 2.0-3.4 s behind them on an idle machine, over
 * 10 s with both cores busy (measured at the access proxy). DynamoDB itself serves them side by side.
 */
let failuresInARow = 0;
const pollGet = async (path: string) => {
  const res = await api('GET', path);
  // A timed-out function is answered by API Gateway itself: 500 {"message": "Internal Server Error"}.
  if (res.status >= 500 && failuresInARow < 3) {
    failuresInARow++;
    return undefined;
  }
  failuresInARow = 0;
  expect(res.status).toBe(200);
  return res;
};

const waitForRun = async (runId: string) =>
  eventually(
    async () => {
      const res = await pollGet(`/scoring/runs/${runId}`);
      if (!res) return undefined;
      return ['succeeded', 'failed'].includes(res.json.status) ? res.json : undefined;
    },
    600_000,
    `scoring run ${runId}`,
  );

/** Runs are one at a time: wait until no run (another test's, say) is queued or working. */
const waitForIdle = async () =>
  eventually(
    async () => {
      const res = await pollGet('/scoring/runs?limit=10');
      if (!res) return undefined;
      const busy = res.json.runs.some((r: any) => ['queued', 'running', 'writing'].includes(r.status));
      return busy ? undefined : true;
    },
    600_000,
    'no scoring run in progress',
  );

let calibrationRun: any;

beforeAll(async () => {
  const bucket = endpoints().bucket;
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: manifestKeyFor(key), Body: manifest }));
  const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file }));
  const importId = importIdOf({ bucket, key, eTag: (put.ETag ?? '').replace(/"/g, ''), size: file.length });
  const imported = await eventually(
    async () => {
      const res = await api('GET', `/imports/${importId}`);
      return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
    },
    840_000,
    `import ${importId}`,
  );
  expect(imported.status).toBe('completed');
}, 900_000);

describe('scoring CDNOW through the API', () => {
  it('scores as of 1997-09-30 in weeks with the parameters of a direct fit of the raw file', {
    timeout: 700_000,
  }, async () => {
    const raw = file.toString('latin1').split('\r\n').slice(1).join('\n');
    const parsed = parseCdnow(raw);
    const direct = prepareTransactions(parsed, { cutoff: '1997-09-30', timeUnit: 'week' });
    const bg = fitBgNbd(direct);
    const gg = fitGammaGamma(direct.x, direct.monetary);
    if (!bg.ok || !gg.ok) throw new Error('the direct fit failed');

    await waitForIdle();
    const res = await api('POST', '/scoring/runs', { body: { asOf: '1997-09-30', timeUnit: 'week' } });
    const again = await api('POST', '/scoring/runs', { body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.details).toEqual([{ path: 'runId', message: res.json.runId }]);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: 'queued', asOf: '1997-09-30T23:59:59.999Z', timeUnit: 'week' });
    expect(res.headers.get('location')).toBe(`/scoring/runs/${res.json.runId}`);

    const run = await waitForRun(res.json.runId);
    calibrationRun = run;
    expect(run.status).toBe('succeeded');
    // Every row up to asOf is a purchase the run read (one event per row); none after it, none skipped.
    expect(direct.rowsAfterCutoff).toBeGreaterThan(0);
    expect(run.data).toEqual({
      transactions: parsed.length - direct.rowsAfterCutoff,
      customers: 23_570,
      purchasers: 23_570,
      prospects: 0,
      skippedRows: 0,
      rowsAfterAsOf: 0,
    });
    for (const name of ['r', 'alpha', 'a', 'b'] as const)
      expect(relative(run.fit.bgNbd.params[name], bg.params[name])).toBe(0);
    for (const name of ['p', 'q', 'gamma'] as const)
      expect(relative(run.fit.gammaGamma.params[name], gg.params[name])).toBe(0);
    expect(run.fit.bgNbd.logLikelihood).toBeCloseTo(bg.logLikelihood, 4);
    expect(run.fit.gammaGamma.customers).toBe(gg.customers);
    expect(run.progress.written).toBe(run.progress.total);
    expect(run.durationMs).toBeGreaterThan(0);
    const tiers = Object.values(run.counts.valueTiers as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(tiers).toBe(23_570);
  });

  it('puts the scores and their run on each profile', async () => {
    const res = await api('GET', '/profiles?externalId=00001');
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(1);
    const profile = res.json.items[0];
    expect(profile.scores).toMatchObject({
      runId: calibrationRun.runId,
      asOf: '1997-09-30',
      timeUnit: 'week',
      currency: 'USD',
    });
    expect(profile.scores.pAlive).toBeGreaterThan(0);
    expect(typeof profile.scores.clv).toBe('number');
    expect(profile.scores.rfm.score).toMatch(/^[1-5]{3}$/);
  });

  it('reads a segment such as "lapsed" per value tier from the index, without a scan', async () => {
    const counts = calibrationRun.counts;
    let lapsed = 0;
    for (const tier of Object.keys(counts.valueTiers)) {
      for (const partition of lifecycleTierKeys('lapsed', tier)) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await documentClient().send(
            new QueryCommand({
              TableName: endpoints().tables.profiles,
              IndexName: 'byLifecycleTier',
              KeyConditionExpression: 'scoreLifecycleTier = :k',
              ExpressionAttributeValues: { ':k': partition },
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
          for (const item of page.Items ?? []) {
            expect(item.scores).toMatchObject({ lifecycle: 'lapsed', valueTier: tier });
            lapsed++;
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
    }
    expect(lapsed).toBe(counts.lifecycle.lapsed);
    expect(lapsed).toBeGreaterThan(0);
  });

  it('answers the RFM grid and the value x risk matrix of the run', async () => {
    const rfm = await api('GET', `/analytics/rfm?runId=${calibrationRun.runId}`);
    expect(rfm.status).toBe(200);
    expect(rfm.json).toMatchObject({
      runId: calibrationRun.runId,
      asOf: calibrationRun.asOf,
      currency: 'USD',
    });
    const grid = rfm.json.customers as number[][];
    expect(grid).toHaveLength(5);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(23_570);
    expect(rfm.json.total.customers).toBe(23_570);
    // Revenue up to 1997-09-30, from the raw file.
    const raw = file.toString('latin1').split('\r\n').slice(1);
    let cents = 0;
    for (const line of raw) {
      const [, date, , dollars] = line.trim().split(/ +/);
      if (date && date <= '19970930') cents += Math.round(Number(dollars) * 100);
    }
    expect(Math.round(rfm.json.total.revenue * 100)).toBe(cents);

    const matrix = await api('GET', '/analytics/value-matrix');
    expect(matrix.status).toBe(200);
    expect(matrix.json.tiers).toEqual(['gold', 'key', 'quality', 'general', 'restricted', 'eliminated']);
    // Purchasers are in the grid; the profiles other tests made are prospects, outside it.
    expect(matrix.json.total.customers).toBe(23_570);
    expect(matrix.json.cells[0][2]).toMatchObject({ tier: 'gold', band: 'high', action: 'invest-to-retain' });
    const unknown = await api('GET', '/analytics/rfm?runId=19970930T000000000Z-nope');
    expect(unknown.status).toBe(404);
    const bad = await api('GET', '/analytics/rfm?runId=..%2F');
    expect(bad.status).toBe(422);
  });

  it('back-tests the previous run when scoring again later', { timeout: 700_000 }, async () => {
    const res = await api('POST', '/scoring/runs', { body: { asOf: '1998-06-30', timeUnit: 'week' } });
    expect(res.status).toBe(202);
    const run = await waitForRun(res.json.runId);
    expect(run.status).toBe('succeeded');
    expect(run.backTest).toMatchObject({
      previousRunId: calibrationRun.runId,
      elapsed: 39,
      customers: 23_570,
    });
    expect(run.backTest.deciles).toHaveLength(10);
    expect(typeof run.drift.flagged).toBe('boolean');
    // The runs list shows both, newest first.
    const list = await api('GET', '/scoring/runs?limit=2');
    expect(list.json.runs.map((r: any) => r.runId)).toEqual([run.runId, calibrationRun.runId]);
    // The profiles now carry the newer run's scores.
    const profile = (await api('GET', '/profiles?externalId=00001')).json.items[0];
    expect(profile.scores.runId).toBe(run.runId);
  });

  it('refuses a future asOf and an unknown time unit with the field and the reason', async () => {
    const future = await api('POST', '/scoring/runs', { body: { asOf: '2999-01-01' } });
    expect(future.status).toBe(422);
    expect(future.json.error.details).toEqual([{ path: 'asOf', message: expect.stringMatching(/future/) }]);
    const unit = await api('POST', '/scoring/runs', { body: { timeUnit: 'month' } });
    expect(unit.status).toBe(422);
    expect(unit.json.error.details[0].path).toBe('timeUnit');
  });

  it('writes scores without touching the profile, never onto a deleted profile, never over a newer run', async () => {
    const writer = new DynamoDbScoreWriter(documentClient(), endpoints().tables.profiles);
    const id = unique('scored');
    expect((await api('PUT', `/profiles/${id}`, { body: { firstName: 'Ann' } })).status).toBe(201);
    const scores = (runId: string): ProfileScores =>
      ({ runId, asOf: '2026-01-01', lifecycle: 'active', valueTier: 'gold' }) as unknown as ProfileScores;
    const index = { scoreLifecycleTier: 'active#gold#0', scoreRank: '0000000000001' };
    expect(
      await writer.write([
        { profileId: id, scores: scores('20260101T000000000Z-b'), index },
        { profileId: unique('never-existed'), scores: scores('20260101T000000000Z-b'), index },
      ]),
    ).toEqual({ written: 1, missing: 1, superseded: 0 });
    expect(
      await writer.write([{ profileId: id, scores: scores('20260101T000000000Z-a'), index: {} }]),
    ).toEqual({ written: 0, missing: 0, superseded: 1 });

    const read = await api('GET', `/profiles/${id}`);
    expect(read.json).toMatchObject({
      version: 1,
      firstName: 'Ann',
      scores: { runId: '20260101T000000000Z-b' },
    });
    // A replacement of the profile keeps the scores and their index keys.
    const put = await api('PUT', `/profiles/${id}`, { body: { firstName: 'Anna' } });
    expect(put.status).toBe(200);
    const after = await api('GET', `/profiles/${id}`);
    expect(after.json).toMatchObject({
      version: 2,
      firstName: 'Anna',
      scores: { runId: '20260101T000000000Z-b' },
    });
    // The index keys are the table's, never the API's: read from the item itself.
    const item = async () =>
      (
        await documentClient().send(
          new GetCommand({ TableName: endpoints().tables.profiles, Key: { profileId: id } }),
        )
      ).Item!;
    expect(after.json).not.toHaveProperty('scoreLifecycleTier');
    expect((await item())['scoreLifecycleTier']).toBe('active#gold#0');
    // Dropping out of the indexes removes the keys.
    await writer.write([{ profileId: id, scores: scores('20260101T000000000Z-c'), index: {} }]);
    const dropped = await api('GET', `/profiles/${id}`);
    expect((await item())['scoreLifecycleTier']).toBeUndefined();
    expect(dropped.json.scores.runId).toBe('20260101T000000000Z-c');
  });
});
