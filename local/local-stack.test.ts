import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { S3Event, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../lib/definition';
import { type LocalStack, startLocalStack } from './local-stack';
import { invokeThroughApi } from './runtime/lambda-api';
import type { InvocationReport } from './runtime/lambda-invoker';

const functions: FunctionSpec[] = [
  {
    name: 'hello',
    description: 'hello',
    access: { tables: { profiles: 'read' } },
    triggers: [{ kind: 'http', method: 'GET', path: '/hello/{name}', auth: 'public' }],
  },
  {
    name: 'trespass',
    description: 'trespass',
    access: { tables: { profiles: 'read' } },
    triggers: [{ kind: 'http', method: 'GET', path: '/trespass', auth: 'public' }],
  },
  {
    name: 'slow',
    description: 'slow',
    access: {},
    // 3 s, not 1: the 10 ms invocation after the timeout must not itself time out while the suite
    // keeps both cores busy (a cold container on a loaded machine took over a second).
    timeoutSeconds: 3,
    triggers: [{ kind: 'http', method: 'POST', path: '/slow', auth: 'public' }],
  },
  { name: 'fallback', description: 'fallback', access: {}, triggers: [{ kind: 'httpDefault' }] },
  {
    name: 'take-file',
    description: 'take-file',
    access: { dropBucket: { write: ['reports/'] } },
    triggers: [
      { kind: 's3', prefix: 'imports/profiles/', queue: 'profileImports', batchSize: 1, maxConcurrency: 1 },
    ],
  },
  {
    name: 'tick',
    description: 'tick',
    access: {},
    triggers: [
      {
        kind: 'schedule',
        id: 'weekly',
        expressionSetting: 'reactivationSchedule',
        timezoneSetting: 'scheduleTimezone',
        input: { at: '<aws.scheduler.scheduled-time>' },
      },
    ],
  },
];

const fixture = (name: string) =>
  fileURLToPath(new URL(`./test-fixtures/handlers/${name}.ts`, import.meta.url));
const reports: InvocationReport[] = [];
let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rekindle-local-'));
  // Set in the runner's process only: no function may see it.
  process.env['REKINDLE_LEAK_CHECK'] = 'runner';
  stack = await startLocalStack({
    dataDir,
    functions,
    entries: Object.fromEntries(functions.map((fn) => [fn.name, fixture(fn.name)])),
    pollWaitSeconds: 1,
    bootstrapKey: false,
    onReport: (report) => reports.push(report),
  });
});

afterAll(async () => {
  await stack?.stop();
  expect(readdirSync(join(dataDir, 'pids'))).toEqual([]);
  rmSync(dataDir, { recursive: true, force: true });
});

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('local stack', () => {
  it('provisions the resources of the definition and reports them', () => {
    const e = stack.endpoints;
    expect(e.tables).toEqual({
      profiles: 'rekindle-local-profiles',
      identifiers: 'rekindle-local-identifiers',
      events: 'rekindle-local-events',
      jobs: 'rekindle-local-jobs',
      apiKeys: 'rekindle-local-api-keys',
      campaigns: 'rekindle-local-campaigns',
      suppressions: 'rekindle-local-suppressions',
    });
    expect(e.bucket).toBe('rekindle-local-drop');
    expect(Object.keys(e.queues).sort()).toEqual([
      'campaignSends',
      'campaignSends-dlq',
      'campaignStarts',
      'campaignStarts-dlq',
      'profileImports',
      'profileImports-dlq',
      'scoringRuns',
      'scoringRuns-dlq',
      'transactionImports',
      'transactionImports-dlq',
    ]);
    expect(e.queues['profileImports']).toMatch(/\/rekindle-local-profile-imports$/);
    expect(e.topics).toEqual({ ops: 'arn:aws:sns:us-east-1:000000000000:rekindle-local-ops' });
    expect(e.apiKey).toBe('');
    const env = stack.functions.environmentOf('hello');
    expect(env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'rekindle-local-hello',
      AWS_ENDPOINT_URL_DYNAMODB: e.accessProxy,
      AWS_ENDPOINT_URL_SESV2: e.accessProxy,
      AWS_ENDPOINT_URL_S3: e.accessProxy,
      S3_FORCE_PATH_STYLE: 'true',
      TABLE_PROFILES: 'rekindle-local-profiles',
      STAGE: 'local',
      SCHEDULE_TIMEZONE: 'Europe/London',
    });
    // Only what its grants name: no other table, no bucket, no secret.
    expect(env['TABLE_EVENTS']).toBeUndefined();
    expect(env['DROP_BUCKET']).toBeUndefined();
    expect(env['UNSUBSCRIBE_SECRET_ARN']).toBeUndefined();
    expect(env['AWS_ACCESS_KEY_ID']).not.toBe(stack.functions.environmentOf('trespass')['AWS_ACCESS_KEY_ID']);
    expect(stack.bindings()).toEqual([
      { kind: 'http', routeKey: 'GET /hello/{name}', function: 'hello' },
      { kind: 'http', routeKey: 'GET /trespass', function: 'trespass' },
      { kind: 'http', routeKey: 'POST /slow', function: 'slow' },
      { kind: 'http', routeKey: '$default', function: 'fallback' },
      { kind: 's3', prefix: 'imports/profiles/', queue: 'profileImports', function: 'take-file' },
      {
        kind: 'schedule',
        id: 'weekly',
        expression: 'cron(0 10 ? * WED *)',
        timezone: 'Europe/London',
        function: 'tick',
      },
    ]);
  });

  it('runs a function from its bundle in a container of its own, warm between invocations', async () => {
    const first = (await (await fetch(`${stack.endpoints.apiUrl}/hello/ann`)).json()) as Record<
      string,
      unknown
    >;
    expect(first).toMatchObject({
      greeting: 'hello ann',
      table: 'rekindle-local-profiles',
      otherTable: null,
      leaked: null,
      functionName: 'rekindle-local-hello',
      invocations: 1,
    });
    expect(first['pid']).not.toBe(process.pid);
    const second = (await (await fetch(`${stack.endpoints.apiUrl}/hello/bo`)).json()) as Record<
      string,
      unknown
    >;
    // Module state survives: the same warm container.
    expect(second).toMatchObject({ invocations: 2, pid: first['pid'] });
    const hello = reports.filter((r) => r.function === 'hello');
    expect(hello).toHaveLength(2);
    expect(hello[0]!.coldStart?.initMs).toBeGreaterThan(0);
    expect(hello[1]!.coldStart).toBeUndefined();
    expect((await fetch(`${stack.endpoints.apiUrl}/other`)).status).toBe(404);
  });

  it('refuses a call outside the grants of the function, as IAM does', async () => {
    const res = await fetch(`${stack.endpoints.apiUrl}/trespass`);
    const body = (await res.json()) as Record<string, string>;
    expect(body['readGranted']).toBe('ok');
    expect(body['writeNotGranted']).toMatch(
      /^AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/rekindle-local-trespass-role\/rekindle-local-trespass is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/rekindle-local-profiles/,
    );
    expect(body['otherTable']).toMatch(
      /^AccessDeniedException: .* dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/rekindle-local-events /,
    );
  });

  it('stops a function past its timeout as Lambda reports it, and starts the next event cold', async () => {
    await expect(invokeThroughApi(stack.endpoints.lambdaEndpoint, 'slow', { sleepMs: 9000 })).rejects.toThrow(
      /^Task timed out after 3\.00 seconds$/,
    );
    expect(
      await invokeThroughApi(stack.endpoints.lambdaEndpoint, 'rekindle-local-slow', { sleepMs: 10 }),
    ).toEqual({
      slept: 10,
    });
    const slow = reports.filter((r) => r.function === 'slow');
    expect(slow.map((r) => [r.error?.split(':')[0], r.coldStart !== undefined])).toEqual([
      ['Sandbox.Timedout', true],
      [undefined, true],
    ]);
  });

  it('carries a dropped file from S3 through the queue to its function', async () => {
    const s3 = new S3Client({
      endpoint: stack.endpoints.s3Endpoint,
      region: stack.endpoints.region,
      credentials,
      forcePathStyle: true,
    });
    await s3.send(
      new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: 'imports/profiles/a.csv', Body: 'x\n' }),
    );
    let seen: string[] = [];
    await until(async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: stack.endpoints.bucket, Prefix: 'reports/seen/' }),
      );
      seen = (listed.Contents ?? []).map((o) => o.Key!);
      return seen.length === 1;
    });
    const object = await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: seen[0]! }));
    const record = JSON.parse(await object.Body!.transformToString()) as SQSRecord;
    s3.destroy();
    const event = JSON.parse(record.body) as S3Event;
    expect(event.Records[0]!.s3.object.key).toBe('imports/profiles/a.csv');
    expect(record.eventSourceARN).toBe('arn:aws:sqs:us-east-1:000000000000:rekindle-local-profile-imports');
  });

  it('runs the emulators the functions talk to (SES keeps headers, not tags; SMS apart from topics)', async () => {
    const e = stack.endpoints;
    const ses = new SESv2Client({ endpoint: e.sesUrl, region: e.region, credentials });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'hello@example.com',
        Destination: { ToAddresses: ['someone@example.com'] },
        ConfigurationSetName: 'rekindle-local-campaigns',
        EmailTags: [{ Name: 'campaign', Value: 'reactivation' }],
        Content: {
          Simple: {
            Subject: { Data: 'We miss you' },
            Body: { Text: { Data: 'Come back' } },
            Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
          },
        },
      }),
    );
    ses.destroy();
    const store = (await (await fetch(`${stack.endpoints.sesUrl}/store`)).json()) as {
      emails: { subject: string; headers?: { name: string; value: string }[] }[];
    };
    const [email] = store.emails;
    expect(email?.subject).toBe('We miss you');
    expect(email?.headers).toEqual([{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }]);
    expect(JSON.stringify(email)).not.toContain('reactivation');

    const sns = new SNSClient({ endpoint: e.snsEndpoint, region: e.region, credentials });
    await sns.send(new PublishCommand({ PhoneNumber: '+447700900999', Message: 'hi' }));
    await sns.send(new PublishCommand({ TopicArn: stack.endpoints.topics.ops, Message: 'ops notice' }));
    sns.destroy();
    const texts = (await (await fetch(`${stack.endpoints.smsUrl}/messages`)).json()) as { message: string }[];
    expect(texts.map((t) => t.message)).toEqual(['hi']);
  });
});
