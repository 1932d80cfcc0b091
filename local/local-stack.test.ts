import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../lib/definition';
import { type LocalStack, startLocalStack } from './local-stack';
import { fixtureLoader } from './test-fixtures/fixture-loader';

const functions: FunctionSpec[] = [
  {
    name: 'hello',
    description: 'hello',
    access: {},
    triggers: [{ kind: 'http', method: 'GET', path: '/hello/{name}', auth: 'public' }],
  },
  { name: 'fallback', description: 'fallback', access: {}, triggers: [{ kind: 'httpDefault' }] },
  {
    name: 'take-file',
    description: 'take-file',
    access: {},
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

const files: SQSEvent[] = [];
let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rekindle-local-'));
  stack = await startLocalStack({
    dataDir,
    functions,
    pollWaitSeconds: 1,
    bootstrapKey: false,
    loadHandler: fixtureLoader({
      hello: async (event: { pathParameters: { name: string } }) => ({
        greeting: `hello ${event.pathParameters.name}`,
        table: process.env['TABLE_PROFILES'],
      }),
      fallback: async () => ({ statusCode: 404, body: 'none' }),
      'take-file': async (event: SQSEvent) => {
        files.push(event);
      },
      tick: async () => undefined,
    }),
  });
});

afterAll(async () => {
  await stack?.stop();
  expect(readdirSync(join(dataDir, 'pids'))).toEqual([]);
  rmSync(dataDir, { recursive: true, force: true });
});

const until = async (check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
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
    });
    expect(e.bucket).toBe('rekindle-local-drop');
    expect(Object.keys(e.queues).sort()).toEqual([
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
    expect(stack.functionEnv).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: e.dynamodbEndpoint,
      AWS_ENDPOINT_URL_SESV2: e.sesUrl,
      AWS_ENDPOINT_URL_SNS: e.snsEndpoint,
      AWS_ENDPOINT_URL_S3: e.s3Endpoint,
      AWS_ENDPOINT_URL_SQS: e.sqsEndpoint,
      S3_FORCE_PATH_STYLE: 'true',
      TABLE_API_KEYS: 'rekindle-local-api-keys',
      DROP_BUCKET: 'rekindle-local-drop',
      OPS_TOPIC_ARN: e.topics.ops,
      PUBLIC_API_URL: e.apiUrl,
      STAGE: 'local',
      SCHEDULE_TIMEZONE: 'Europe/London',
    });
    expect(stack.functionEnv['UNSUBSCRIBE_SECRET']).toMatch(/^[\w-]{40,}$/);
    expect(stack.bindings()).toEqual([
      { kind: 'http', routeKey: 'GET /hello/{name}', function: 'hello' },
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

  it('serves HTTP with the functions environment set', async () => {
    const response = await fetch(`${stack.endpoints.apiUrl}/hello/ann`);
    expect(await response.json()).toEqual({ greeting: 'hello ann', table: 'rekindle-local-profiles' });
    expect((await fetch(`${stack.endpoints.apiUrl}/other`)).status).toBe(404);
  });

  it('carries a dropped file from S3 through the queue to its function', async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(
      new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: 'imports/profiles/a.csv', Body: 'x\n' }),
    );
    s3.destroy();
    await until(() => files.length === 1);
    const event = JSON.parse(files[0]!.Records[0]!.body) as S3Event;
    expect(event.Records[0]!.s3.object.key).toBe('imports/profiles/a.csv');
    expect(files[0]!.Records[0]!.eventSourceARN).toBe(
      'arn:aws:sqs:us-east-1:000000000000:rekindle-local-profile-imports',
    );
  });

  it('points the SDK at the emulators through the standard variables (SES keeps headers, not tags)', async () => {
    const ses = new SESv2Client({});
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

    const sns = new SNSClient({});
    await sns.send(new PublishCommand({ PhoneNumber: '+447700900999', Message: 'hi' }));
    await sns.send(new PublishCommand({ TopicArn: stack.endpoints.topics.ops, Message: 'ops notice' }));
    sns.destroy();
    const texts = (await (await fetch(`${stack.endpoints.smsUrl}/messages`)).json()) as { message: string }[];
    expect(texts.map((t) => t.message)).toEqual(['hi']);
  });
});
