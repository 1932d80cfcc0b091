import { createHash } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FauxqsLocal, startFauxqsLocal } from './emulators/fauxqs-local';
import { type S3Bridge, startS3Bridge } from './s3-bridge';
import { encodeS3EventKey } from './s3-event';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';
let fauxqs: FauxqsLocal;
let bridge: S3Bridge;
let s3: S3Client;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  fauxqs = await startFauxqsLocal();
  s3 = new S3Client({ endpoint: fauxqs.url, region, credentials, forcePathStyle: true });
  sqs = new SQSClient({ endpoint: fauxqs.url, region, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: 'drop' }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'imports' }))).QueueUrl!;
  bridge = startS3Bridge({
    spy: fauxqs.server.spy,
    endpoint: fauxqs.url,
    region,
    rules: [{ id: 'import-profiles', bucket: 'drop', prefix: 'imports/profiles/', queueName: 'imports' }],
  });
});

afterAll(async () => {
  await bridge.stop();
  s3.destroy();
  sqs.destroy();
  await fauxqs.stop();
});

describe('S3 bridge', () => {
  it('sends the S3 notification of an object created under the prefix, and nothing for others', async () => {
    const before = Date.now();
    await s3.send(new PutObjectCommand({ Bucket: 'drop', Key: 'reports/elsewhere.csv', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'drop', Key: 'imports/other/nope.csv', Body: 'x' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'drop', Key: 'imports/profiles/May list (1).csv', Body: 'a,b\n1,2\n' }),
    );
    await bridge.idle();
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages).toHaveLength(1);
    const event = JSON.parse(received.Messages![0]!.Body!) as S3Event;
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.any(String) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': expect.any(String), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'import-profiles',
        bucket: {
          name: 'drop',
          ownerIdentity: { principalId: expect.any(String) },
          arn: 'arn:aws:s3:::drop',
        },
        object: {
          key: 'imports/profiles/May+list+%281%29.csv',
          size: 8,
          eTag: createHash('md5').update('a,b\n1,2\n').digest('hex'),
          sequencer: expect.stringMatching(/^[0-9A-F]{18}$/),
        },
      },
    });
    expect(Date.parse(record.eventTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(decodeURIComponent(record.s3.object.key.replaceAll('+', ' '))).toBe(
      'imports/profiles/May list (1).csv',
    );
  });

  it('encodes keys as S3 does', () => {
    expect(encodeS3EventKey('imports/profiles/a b+c=d:é.csv')).toBe(
      'imports/profiles/a+b%2Bc%3Dd%3A%C3%A9.csv',
    );
  });
});
