import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbScoringRunStore } from '../../functions/scoring-job/dynamodb-scoring-run-store';
import type { ScoringRun } from '../../functions/scoring-job/scoring-run';
import { httpRoutes } from '../../lib/definition';
import { api, documentClient, endpoints } from './support';

/** Requests a careless or malicious client might send; none may produce a 5xx. */
const hostileBodies: { rawBody?: string; body?: unknown; headers?: Record<string, string> }[] = [
  { rawBody: '{', headers: { 'content-type': 'application/json' } },
  { rawBody: 'null', headers: { 'content-type': 'application/json' } },
  { rawBody: '[]', headers: { 'content-type': 'application/json' } },
  { rawBody: '"text"', headers: { 'content-type': 'application/json' } },
  { rawBody: '\u0000\u0001binary', headers: { 'content-type': 'application/octet-stream' } },
  { body: { email: ['a@b.co'], phone: { n: 1 }, tags: 'x', attributes: [1, 2], consent: 'yes' } },
  { body: { __proto__: { admin: true }, constructor: { prototype: {} } } },
  { body: { email: `${'a'.repeat(300)}@example.com`, firstName: 'x'.repeat(10_000) } },
  { body: { lastPurchaseAt: '9999-12-31T23:59:59Z', birthDate: '0000-00-00', timeZone: 'Mars/Olympus' } },
  { body: {}, headers: { 'if-match': 'garbage', 'if-none-match': 'nope' } },
  { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
];

const pathFor = (path: string, value: string) => path.replace(/\{\w+\}/g, encodeURIComponent(value));
const oddIds = [
  'x',
  'a'.repeat(500),
  '..%2F..',
  '%00',
  'ünïcödé',
  "' OR 1=1 --",
  'imp_000000000000000000000000',
];
const oddQueries = [
  '',
  '?limit=-1',
  '?limit=abc',
  '?cursor=%FF%FE',
  '?email=&phone=',
  '?email=a&phone=b',
  '?token=a.b.c',
  '?token=',
  '?x=1&x=2',
];

/**
 * `POST /scoring/runs` with `{}` is a valid request that would score every profile in the background
 * while the rest of the suite runs; a queued run (never sent to the queue) makes every such request
 * here a 409 instead, and is marked failed afterwards. The 202 path is tested in scoring.test.ts.
 */
const runs = () => new DynamoDbScoringRunStore(documentClient(), endpoints().tables.jobs!);
const blocker: ScoringRun = {
  runId: `${new Date().toISOString().replace(/[-:.]/g, '')}-hostile`,
  status: 'queued',
  trigger: 'api',
  requestedAt: new Date().toISOString(),
  asOf: new Date().toISOString(),
  timeUnit: 'week',
  attempts: 0,
};
beforeAll(async () => {
  await runs().create(blocker);
});
afterAll(async () => {
  // Through the job leases, as a worker ends a run: claimed, then finished as failed.
  await runs().claim(blocker.runId, 'hostile-input-test', 60_000);
  await runs().finish(blocker.runId, 'hostile-input-test', {
    status: 'failed',
    error: 'placeholder of the hostile-input test',
  });
});

describe('hostile input', () => {
  it('never produces a server error on any route', async () => {
    const failures: string[] = [];
    type Call = { method: string; path: string; request: (typeof hostileBodies)[number] };
    // One list of calls per route: routes run a few at a time, each route's calls one after another,
    // so the routes that read whole tables (GET /quality) never scan in parallel with themselves.
    const byRoute: Call[][] = [];
    for (const route of httpRoutes()) {
      const calls: Call[] = [];
      // Odd ids only matter where the path has a parameter.
      for (const id of route.path.includes('{') ? oddIds : ['-']) {
        for (const query of oddQueries) {
          const path = `${pathFor(route.path, id)}${query}`;
          const requests = ['GET', 'DELETE'].includes(route.method) ? [{}] : hostileBodies;
          for (const request of requests) calls.push({ method: route.method, path, request });
        }
      }
      byRoute.push(calls);
    }
    let next = 0;
    const worker = async () => {
      while (next < byRoute.length) {
        for (const { method, path, request } of byRoute[next++]!) {
          const res = await api(method, path, request);
          if (res.status >= 500)
            failures.push(`${method} ${path} -> ${res.status} ${res.text.slice(0, 200)}`);
          else if (res.status >= 400 && res.headers.get('content-type')?.includes('application/json')) {
            expect(res.json.error, `${method} ${path}`).toMatchObject({
              code: expect.any(String),
              message: expect.any(String),
            });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const calls = byRoute.flat();
    expect(calls.length).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 420_000);
});
