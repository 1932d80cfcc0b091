import { readFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { objectCreatedEvent } from '../../local/s3-event';
import { api, endpoints, eventually, s3 } from './support';

const fixture = readFileSync(new URL('../fixtures/imports/profiles-basic.csv', import.meta.url));
const key = 'imports/profiles/customers 2026-11.csv';

const upload = async (objectKey: string, body: Buffer) => {
  const put = await s3().send(
    new PutObjectCommand({ Bucket: endpoints().bucket, Key: objectKey, Body: body }),
  );
  return {
    eTag: (put.ETag ?? '').replace(/"/g, ''),
    importId: importIdOf({
      bucket: endpoints().bucket,
      key: objectKey,
      eTag: (put.ETag ?? '').replace(/"/g, ''),
      size: body.length,
    }),
  };
};

const finished = (importId: string) =>
  eventually(
    async () => {
      const res = await api('GET', `/imports/${importId}`);
      return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
    },
    30_000,
    `import ${importId}`,
  );

const readObject = async (objectKey: string) =>
  (
    await s3().send(new GetObjectCommand({ Bucket: endpoints().bucket, Key: objectKey }))
  ).Body!.transformToString();

const queueIdle = async () => {
  const sqs = new SQSClient({
    endpoint: endpoints().sqsEndpoint,
    region: endpoints().region,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await eventually(
    async () => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: endpoints().queues.profileImports!,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible) ===
        0
        ? true
        : undefined;
    },
    30_000,
    'the import queue to drain',
  );
  return sqs;
};

describe('drop-folder profile import', () => {
  it('stores the good rows, reports every bad row with its reason, and the counts add up', async () => {
    const { importId } = await upload(key, fixture);
    const result = await finished(importId);
    expect(result).toMatchObject({
      status: 'completed',
      counts: { rowsRead: 10, created: 2, updated: 0, merged: 2, unchanged: 0, rejected: 6 },
      ignoredColumns: ['favourite colour'],
      file: { key },
    });
    const { counts } = result;
    expect(counts.created + counts.updated + counts.merged + counts.unchanged + counts.rejected).toBe(
      counts.rowsRead,
    );

    const rejects = (await readObject(result.reports.rejects)).trim().split('\n');
    expect(rejects[0]).toBe('row,line,reason,raw');
    const byRow = Object.fromEntries(rejects.slice(1).map((l) => [Number(l.split(',')[0]), l]));
    expect(Object.keys(byRow).map(Number)).toEqual([3, 4, 5, 7, 8, 10]);
    // row, line, the reason naming the field, and the raw row as written
    expect(byRow[3]).toMatch(/^3,4,[^,]*email[^,]*,"not-an-email,,Carl,,,,,"$/);
    expect(byRow[4]).toMatch(/identifier/);
    expect(byRow[5]).toMatch(/^5,6,[^,]*phone/);
    expect(byRow[7]).toMatch(/lastPurchaseAt/);
    expect(byRow[8]).toMatch(/has 7 fields, the header has 8/);
    expect(byRow[10]).toMatch(/unreadable record/);

    const summary = JSON.parse(await readObject(result.reports.summary));
    expect(summary.counts).toEqual(result.counts);

    const ann = (await api('GET', '/profiles?email=ann%40example.com')).json.items[0];
    expect(ann).toMatchObject({
      email: 'ann@example.com',
      phone: '+447911123456',
      firstName: 'Annie',
      lastName: 'Lee',
      lastPurchaseAt: '2025-01-15T00:00:00.000Z',
      tags: ['vip', 'winter'],
      attributes: { shoe: '42' },
      provenance: { kind: 'internal', source: `drop-folder:${key}` },
      version: 1,
    });
    expect((await api('GET', '/profiles?email=frank%40example.com')).json.items).toEqual([]);
  });

  it('imports a redelivered notification once', async () => {
    const objectKey = 'imports/profiles/redelivered.csv';
    const body = Buffer.from(
      'email,firstName\r\nredelivery-1@example.com,Rita\r\nredelivery-2@example.com,Rob\r\n',
    );
    const { eTag, importId } = await upload(objectKey, body);
    const first = await finished(importId);
    expect(first.counts).toEqual({
      rowsRead: 2,
      created: 2,
      updated: 0,
      merged: 0,
      unchanged: 0,
      rejected: 0,
      warnings: 0,
    });

    // S3 delivers at least once: send the same notification again, twice.
    const sqs = await queueIdle();
    const notification = JSON.stringify(
      objectCreatedEvent({
        bucket: endpoints().bucket,
        key: objectKey,
        size: body.length,
        eTag,
        region: endpoints().region,
        configurationId: 'redelivery',
      }),
    );
    for (let i = 0; i < 2; i++) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: endpoints().queues.profileImports!, MessageBody: notification }),
      );
    }
    await new Promise((r) => setTimeout(r, 500));
    await queueIdle();
    const again = (await api('GET', `/imports/${importId}`)).json;
    expect(again).toEqual(first);
    const rita = (await api('GET', '/profiles?email=redelivery-1%40example.com')).json.items[0];
    expect(rita.version).toBe(1);
  });

  it('treats a changed file under the same key as a new import', async () => {
    const objectKey = 'imports/profiles/changing.csv';
    const one = await upload(objectKey, Buffer.from('email,firstName\nchange@example.com,Carla\n'));
    expect((await finished(one.importId)).counts.created).toBe(1);
    const two = await upload(objectKey, Buffer.from('email,firstName\nchange@example.com,Carlotta\n'));
    expect(two.importId).not.toBe(one.importId);
    expect((await finished(two.importId)).counts).toMatchObject({ rowsRead: 1, updated: 1 });
    expect((await api('GET', '/profiles?email=change%40example.com')).json.items[0].firstName).toBe(
      'Carlotta',
    );
  });

  it('answers 404 for an unknown import and 422 for a malformed id', async () => {
    expect((await api('GET', `/imports/imp_${'0'.repeat(24)}`)).status).toBe(404);
    expect((await api('GET', '/imports/nope')).status).toBe(422);
  });

  it('takes a manifest through POST /imports: column names, default country, an external source that cannot opt anyone in', async () => {
    const objectKey = 'imports/profiles/partner list.csv';
    const manifest = {
      source: { name: 'partner-exchange', kind: 'external' },
      defaultCountry: 'CN',
      columns: { Mail: 'email', Mobile: 'phone', Vorname: 'firstName' },
      consent: { email: 'granted' },
    };
    const created = await api('POST', '/imports', { body: { key: objectKey, manifest } });
    expect(created.status).toBe(201);
    expect(created.json.manifestKey).toBe(`${objectKey}.manifest.json`);
    expect((await api('POST', '/imports', { body: { key: 'elsewhere/x.csv', manifest } })).status).toBe(422);
    expect(
      (await api('POST', '/imports', { body: { key: objectKey, manifest: { delimiter: 'x' } } })).status,
    ).toBe(422);

    const { importId } = await upload(
      objectKey,
      Buffer.from('Mail,Mobile,Vorname\npartner-1@example.com,138 0013 8000,Li\n'),
    );
    const result = await finished(importId);
    expect(result).toMatchObject({
      status: 'completed',
      counts: { rowsRead: 1, created: 1 },
      manifest: { source: { name: 'partner-exchange' } },
    });
    const li = (await api('GET', '/profiles?email=partner-1%40example.com')).json.items[0];
    expect(li).toMatchObject({
      phone: '+8613800138000',
      firstName: 'Li',
      provenance: { kind: 'external', source: 'partner-exchange' },
    });
    expect(li.consent.email).toBeUndefined();
    expect(li.fieldProvenance.firstName).toMatchObject({ source: 'partner-exchange', kind: 'external' });
  });

  it('fails an import whose sidecar manifest is broken, with the reason, and reads no row', async () => {
    const objectKey = 'imports/profiles/broken-manifest.csv';
    await s3().send(
      new PutObjectCommand({
        Bucket: endpoints().bucket,
        Key: `${objectKey}.manifest.json`,
        Body: '{"charset": "klingon"}',
      }),
    );
    const { importId } = await upload(objectKey, Buffer.from('email\nnobody@example.com\n'));
    const result = await finished(importId);
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /manifest .*broken-manifest\.csv\.manifest\.json is not valid: charset/,
    );
    expect((await api('GET', '/profiles?email=nobody%40example.com')).json.items).toEqual([]);
  });

  it('lists imports newest first and reports data quality', async () => {
    const list = await api('GET', '/imports?limit=3');
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(3);
    const started = list.json.items.map((i: { startedAt: string }) => i.startedAt);
    expect([...started].sort().reverse()).toEqual(started);
    // Newest first: the broken manifest (failed before reading), then the two one-row partner files.
    expect(list.json.items.map((i: { progress: unknown }) => i.progress)).toEqual([
      { bytesRead: 0, rowsDone: 0, chunksDone: 0, invocations: 1 },
      { bytesRead: 59, rowsDone: 1, chunksDone: 1, invocations: 1 },
      { bytesRead: 44, rowsDone: 1, chunksDone: 1, invocations: 1 },
    ]);

    // This file's stage holds only the profiles of this file's imports above.
    const quality = await api('GET', '/quality');
    expect(quality.status).toBe(200);
    expect(quality.json).toEqual({
      generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      profiles: 6,
      bySource: {
        'drop-folder:imports/profiles/redelivered.csv': 2,
        'drop-folder:imports/profiles/changing.csv': 1,
        'drop-folder:imports/profiles/customers 2026-11.csv': 2,
        'partner-exchange': 1,
      },
      byProvenance: { internal: 5, external: 1 },
      contactability: {
        validEmail: { count: 6, share: 1 },
        validMobile: { count: 2, share: 0.3333 },
        both: { count: 2, share: 0.3333 },
        neither: { count: 0, share: 0 },
      },
      consent: { email: { count: 0, share: 0 }, sms: { count: 0, share: 0 } },
      stale: { count: 0, share: 0, months: 24 },
      duplicatesMerged: 2,
      conflictsOpen: 0,
      rejectedByReason: {
        lastPurchaseAt: 1,
        'unreadable record': 1,
        'no identifier': 1,
        'has 7 fields, the header has 8': 1,
        phone: 1,
        email: 1,
      },
      importsConsidered: 6,
    });
  });

  it('publishes each import summary to the ops topic, without personal data', async () => {
    const credentials = { accessKeyId: 'l', secretAccessKey: 'l' };
    const sqs = new SQSClient({ endpoint: endpoints().sqsEndpoint, region: endpoints().region, credentials });
    const sns = new SNSClient({ endpoint: endpoints().snsEndpoint, region: endpoints().region, credentials });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `ops-watch-${Date.now()}` }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: endpoints().topics.ops,
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn!,
      }),
    );
    const { importId } = await upload(
      'imports/profiles/ops-summary.csv',
      Buffer.from('email\nops-1@example.com\nbad-email\n'),
    );
    await finished(importId);
    const notice = await eventually(
      async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
        );
        const bodies = (Messages ?? []).map((m) => JSON.parse(JSON.parse(m.Body!).Message ?? m.Body!));
        return bodies.find((b) => b.importId === importId);
      },
      20_000,
      'the ops notice',
    );
    expect(notice).toMatchObject({
      importId,
      status: 'completed',
      counts: { rowsRead: 2, created: 1, rejected: 1 },
    });
    expect(JSON.stringify(notice)).not.toContain('ops-1@example.com');
  });
});
