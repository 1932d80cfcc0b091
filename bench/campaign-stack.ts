import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { replaceProfile } from '../functions/profiles/profile-changes';
import type { RunView } from '../functions/runs/run-view';
import { lifecycleTierKeys, scoreRankOf, shardOf } from '../functions/scoring-job/profile-scores';
import { batchWriteAll } from '../functions/shared/batch-write-all';
import { queryPages } from '../functions/shared/query-all';
import { localSesAccount } from '../local/emulators/ses-local';
import { type LocalEndpoints, type LocalStack, startLocalStack } from '../local/local-stack';

// The campaign bench's plumbing: a local stack of its own per configuration (its settings taken
// from process.env when it starts), profiles written straight into its profiles table, segments,
// templates, campaigns and runs through its HTTP API, and what was sent read back from the send
// records in the jobs table and the local SES's store.

/** What the local SES answers to GetAccount during the bench: a rate that never binds, so only EMAIL_RATE_PER_SECOND caps. */
export const BENCH_SES_MAX_SEND_RATE = 100_000;

export const localClient = (endpoints: LocalEndpoints, maxSockets = 50) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodbEndpoint,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: { httpAgent: { keepAlive: true, maxSockets } },
    }),
  );

/** What else ran on the machine while a stack worked, and which invocations failed (for the reader of the figures). */
export interface StackConditions {
  readonly failedInvocations: Readonly<Record<string, number>>;
  /** The machine's 1-minute load average when the stack started and when its work ended (2 cores). */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
}

/** `load average 3.1 -> 9.8; failed invocations: send-campaign-messages 2` */
export const conditionsLine = (c: StackConditions): string => {
  const failed = Object.entries(c.failedInvocations);
  return `load average ${c.loadAverage.atStart.toFixed(1)} -> ${c.loadAverage.atEnd.toFixed(1)}; failed invocations: ${
    failed.length === 0 ? 'none' : failed.map(([name, n]) => `${name} ${n}`).join(', ')
  }`;
};

/**
 * Starts a local stack with `env` set in process.env (the stack reads its settings when it starts;
 * the local SES reads AWS_SES_ACCOUNT on every GetAccount, so it stays set until the stack stops),
 * runs `work` on it, stops it and restores the environment.
 */
export const withCampaignStack = async <T extends object>(
  env: Readonly<Record<string, string | undefined>>,
  work: (stack: LocalStack, ddb: DynamoDBDocumentClient) => Promise<T>,
): Promise<T & StackConditions> => {
  const all: Record<string, string | undefined> = {
    AWS_SES_ACCOUNT: JSON.stringify(
      localSesAccount({ ...process.env, LOCAL_SES_MAX_SEND_RATE: String(BENCH_SES_MAX_SEND_RATE) }),
    ),
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]));
  const put = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  put(all);
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-bench-campaigns-'));
  try {
    // Failed invocations (a time limit missed, a crash) per function, as Lambda's REPORT lines say.
    const failedInvocations: Record<string, number> = {};
    const stack = await startLocalStack({
      apiPort: 0,
      schedules: false,
      dataDir,
      onReport: (report) => {
        if (report.error) failedInvocations[report.function] = (failedInvocations[report.function] ?? 0) + 1;
      },
    });
    const ddb = localClient(stack.endpoints);
    const loadAtStart = loadavg()[0]!;
    try {
      const result = await work(stack, ddb);
      return { ...result, failedInvocations, loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0]! } };
    } finally {
      ddb.destroy();
      await stack.stop();
    }
  } finally {
    put(saved);
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export interface ApiAnswer {
  readonly status: number;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON of the API
  readonly json: any;
}

export const call = async (
  endpoints: LocalEndpoints,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer> => {
  const res = await fetch(`${endpoints.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${endpoints.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
};

const expected = (answer: ApiAnswer, status: number, what: string) => {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 1000)}`);
  return answer.json;
};

/** A bench population: `count` profiles `<prefix>-<i>`, each with its own address and the tag `<prefix>`. */
export interface Population {
  readonly prefix: string;
  readonly count: number;
  readonly address: (i: number) => string;
}

export const population = (prefix: string, count: number): Population => ({
  prefix,
  count,
  address: (i) => `${prefix}.${i}@bench.example.com`,
});

/**
 * Writes a population into the profiles table with BatchWriteItem (4 writers): an address each,
 * email consent granted, the population's tag, a time zone; `scored(i)` profiles also get lapsed
 * gold scores and their `byLifecycleTier` index keys, as a scoring run leaves them.
 */
export const writePopulation = async (
  ddb: DynamoDBDocumentClient,
  table: string,
  people: Population,
  scored: (i: number) => boolean = () => false,
): Promise<void> => {
  const now = new Date().toISOString();
  const items: { PutRequest: { Item: Record<string, unknown> } }[] = [];
  for (let i = 0; i < people.count; i++) {
    const profileId = `${people.prefix}-${i}`;
    const profile = replaceProfile(
      profileId,
      {
        email: people.address(i),
        firstName: `Bench${i}`,
        lastName: 'Population',
        country: 'GB',
        timeZone: 'Europe/London',
        tags: [people.prefix],
        consent: { email: { status: 'granted', source: 'bench', timestamp: now } },
        provenance: { source: 'bench', kind: 'internal' },
      },
      undefined,
      now,
    );
    const clv = 500 + (i % 1000);
    const scores = scored(i)
      ? {
          scores: { lifecycle: 'lapsed', valueTier: 'gold', churnBand: 'high', clv, scoredAt: now },
          scoreLifecycleTier: lifecycleTierKeys('lapsed', 'gold')[shardOf(profileId)],
          scoreRank: scoreRankOf(clv),
        }
      : {};
    items.push({ PutRequest: { Item: { ...profile, ...scores } as Record<string, unknown> } });
  }
  const per = Math.ceil(items.length / 4);
  await Promise.all([0, 1, 2, 3].map((w) => batchWriteAll(ddb, table, items.slice(w * per, (w + 1) * per))));
};

/** An email template of the size a plain campaign has, with the unsubscribe link every marketing email needs. */
export const createTemplate = async (endpoints: LocalEndpoints, name: string): Promise<string> =>
  expected(
    await call(endpoints, 'POST', '/templates', {
      name,
      channel: 'email',
      subject: 'We miss you, {{ profile.firstName | default: "there" }}',
      html: '<p>Hi {{ profile.firstName | default: "there" }},</p><p>Come back this week: 20 % off your next order.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    }),
    201,
    'POST /templates',
  ).template.templateId;

/** A manual email campaign to exactly the population (a segment on its tag), quiet hours off. */
export const createCampaign = async (
  endpoints: LocalEndpoints,
  people: Population,
  templateId: string,
): Promise<string> => {
  const segment = expected(
    await call(endpoints, 'POST', '/segments', {
      name: `${people.prefix} audience`,
      rule: { attribute: 'tags', op: 'contains', value: people.prefix },
    }),
    201,
    'POST /segments',
  );
  return expected(
    await call(endpoints, 'POST', '/campaigns', {
      name: `${people.prefix} bench`,
      segmentId: segment.segmentId,
      channel: 'email',
      templateId,
      schedule: { type: 'manual' },
      quietHours: false,
    }),
    201,
    'POST /campaigns',
  ).campaignId;
};

export interface FiredRun {
  readonly campaignId: string;
  readonly runId: string;
  /** performance.now() and Date.now() just before the POST. */
  readonly postedAt: number;
  readonly postedAtMs: number;
}

export const fireRun = async (endpoints: LocalEndpoints, campaignId: string): Promise<FiredRun> => {
  const postedAt = performance.now();
  const postedAtMs = Date.now();
  const run = expected(
    await call(endpoints, 'POST', `/campaigns/${campaignId}/runs`),
    202,
    'POST /campaigns/{id}/runs',
  );
  return { campaignId, runId: run.runId, postedAt, postedAtMs };
};

/**
 * A call the bench repeats on a 5xx or a network error (`attempts`, a second apart): with 50 sender
 * containers keeping DynamoDB Local busy on two cores, an API function (10 s) can miss its time limit.
 */
export const callRetrying = async (
  endpoints: LocalEndpoints,
  method: string,
  path: string,
  body?: unknown,
  attempts = 5,
): Promise<ApiAnswer & { failures: number }> => {
  for (let failures = 0; ; failures++) {
    const answer = await call(endpoints, method, path, body).catch(
      (error: unknown): ApiAnswer => ({ status: 0, text: String(error), json: undefined }),
    );
    if ((answer.status > 0 && answer.status < 500) || failures >= attempts - 1)
      return { ...answer, failures };
    await new Promise((r) => setTimeout(r, 1000));
  }
};

/** Failed attempts of the run views read so far (each repeated by callRetrying). */
export const viewFailures = { count: 0 };

export const runView = async (endpoints: LocalEndpoints, run: FiredRun): Promise<RunView> => {
  const answer = await callRetrying(endpoints, 'GET', `/campaigns/${run.campaignId}/runs/${run.runId}`);
  viewFailures.count += answer.failures;
  return expected(answer, 200, 'GET /campaigns/{id}/runs/{runId}');
};

/** Polls the run every second until its audience is read and every recipient decided. */
export const untilDone = async (
  endpoints: LocalEndpoints,
  run: FiredRun,
  timeoutMs: number,
): Promise<RunView> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await runView(endpoints, run);
    const c = view.counts;
    if (view.selectedAt && c.waiting === 0 && c.sending === 0 && c.deferred === 0) return view;
    if (Date.now() > deadline)
      throw new Error(`run ${run.runId} not done after ${timeoutMs / 1000} s: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
};

export interface SentRecord {
  readonly profileId: string;
  readonly status: string;
  readonly sentAt?: string;
}

/** The run's send records, read from the jobs table (`RUN#<runId>` / `SEND#<profileId>`). */
export const sendRecords = async (
  ddb: DynamoDBDocumentClient,
  jobsTable: string,
  runId: string,
): Promise<SentRecord[]> => {
  const out: SentRecord[] = [];
  for await (const page of queryPages(ddb, {
    TableName: jobsTable,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
    ProjectionExpression: 'profileId, #status, sentAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':send': 'SEND#' },
  }))
    for (const item of page) out.push(item as unknown as SentRecord);
  return out;
};

/** Tokens the shared send rate granted per epoch second in [from, to] (`RATE#email` / `<second>` in the jobs table). */
export const grantedPerSecond = async (
  ddb: DynamoDBDocumentClient,
  jobsTable: string,
  from: number,
  to: number,
): Promise<Map<number, number>> => {
  const out = new Map<number, number>();
  for await (const page of queryPages(ddb, {
    TableName: jobsTable,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': 'RATE#email', ':from': String(from), ':to': String(to) },
  }))
    for (const item of page) out.set(Number(item['sk']), Number(item['used']));
  return out;
};

export interface StoredEmail {
  readonly destination: { readonly to: readonly string[] };
  /** Epoch second SES took it. */
  readonly at: number;
}

/** Every email in the local SES store (read once per measurement: the store answers with all of it). */
export const sesEmails = async (endpoints: LocalEndpoints, since?: number): Promise<StoredEmail[]> => {
  const res = await fetch(`${endpoints.sesUrl}/store${since === undefined ? '' : `?since=${since}`}`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
};

export const clearSes = async (endpoints: LocalEndpoints): Promise<void> => {
  const res = await fetch(`${endpoints.sesUrl}/clear-store`, { method: 'POST' });
  await res.arrayBuffer();
};

/** Emails per address of a population: how many got exactly one, none, more than one. */
export const deliveryCheck = (people: Population, emails: readonly StoredEmail[]) => {
  const per = new Map<string, number>();
  for (const e of emails) for (const to of e.destination.to) per.set(to, (per.get(to) ?? 0) + 1);
  let once = 0;
  let missing = 0;
  let duplicated = 0;
  for (let i = 0; i < people.count; i++) {
    const n = per.get(people.address(i)) ?? 0;
    if (n === 1) once++;
    else if (n === 0) missing++;
    else duplicated++;
  }
  return { emails: emails.length, addressesOnce: once, missing, duplicated };
};
