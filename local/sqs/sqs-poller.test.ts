import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../lib/definition';
import { type FauxqsLocal, startFauxqsLocal } from '../emulators/fauxqs-local';
import { createInProcessInvoker, type Handler } from '../function-invoker';
import { fixtureLoader } from '../test-fixtures/fixture-loader';
import { type SqsPoller, startSqsPoller, succeededRecords } from './sqs-poller';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let fauxqs: FauxqsLocal;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqsLocal();
  sqs = new SQSClient({ endpoint: fauxqs.url, region, credentials });
});

afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

const fn = (name: string): FunctionSpec => ({ name, description: name, triggers: [], access: {} });

/** A queue with a DLQ (maxReceiveCount 2, visibility 1 s) and a poller running `handler`. */
const setup = async (name: string, handler: Handler, batchSize = 10, maxConcurrency = 2) => {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const queueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:${region}:000000000000:${name}-dlq`,
            maxReceiveCount: 2,
          }),
        },
      }),
    )
  ).QueueUrl!;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!['QueueArn']!;
  const spec = {
    queue: name,
    queueName: name,
    fn: fn(name),
    batchSize,
    maxConcurrency,
    reportBatchItemFailures: true,
  };
  const invoker = createInProcessInvoker({
    stage: 'test',
    region,
    accountId: '000000000000',
    loadHandler: fixtureLoader({ [name]: handler }),
  });
  const poller = startSqsPoller({ spec, sqs, queueUrl, queueArn, region, invoker, waitTimeSeconds: 1 });
  const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  return { poller, queueUrl, queueArn, dlqUrl, send };
};

const count = async (queueUrl: string): Promise<number> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes!['ApproximateNumberOfMessages']) +
    Number(Attributes!['ApproximateNumberOfMessagesNotVisible'])
  );
};

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('SQS poller', () => {
  it('invokes with a real SQS event and deletes what succeeded', async () => {
    const events: SQSEvent[] = [];
    const { poller, queueUrl, queueArn, send } = await setup('ok', async (event: SQSEvent) => {
      events.push(event);
    });
    let poll: SqsPoller | undefined = poller;
    try {
      const sent = await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: '{"hello":"world"}',
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
        }),
      );
      await until(() => events.length === 1);
      const record = events[0]!.Records[0]!;
      expect(record).toMatchObject({
        messageId: sent.MessageId,
        receiptHandle: expect.any(String),
        body: '{"hello":"world"}',
        md5OfBody: sent.MD5OfMessageBody,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
        messageAttributes: {
          kind: { stringValue: 'greeting', dataType: 'String', stringListValues: [], binaryListValues: [] },
        },
      });
      expect(record.attributes.ApproximateReceiveCount).toBe('1');
      expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(Date.now() - 60_000);
      expect(record.attributes.ApproximateFirstReceiveTimestamp).toMatch(/^\d+$/);
      expect(record.attributes.SenderId).toBeTruthy();
      await until(async () => (await count(queueUrl)) === 0);
      await send('second');
      await until(() => events.length === 2);
    } finally {
      await poll?.stop();
      poll = undefined;
    }
  });

  it('redelivers only the batchItemFailures', async () => {
    const seen: string[] = [];
    const { poller, queueUrl, send } = await setup(
      'partial',
      async (event: SQSEvent) => {
        for (const r of event.Records) seen.push(`${r.body}#${r.attributes.ApproximateReceiveCount}`);
        const failed = event.Records.filter(
          (r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1',
        );
        return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      10,
      1,
    );
    try {
      await send('good');
      await send('bad');
      await until(() => seen.includes('bad#2'));
      await until(async () => (await count(queueUrl)) === 0);
      expect(seen.filter((s) => s.startsWith('good'))).toEqual(['good#1']);
    } finally {
      await poller.stop();
    }
  });

  it('leaves what a throwing handler got to end in the dead-letter queue', async () => {
    let calls = 0;
    const { poller, queueUrl, dlqUrl, send } = await setup('throws', async () => {
      calls++;
      throw new Error('boom');
    });
    try {
      const sent = await send('poison');
      await until(async () => (await count(dlqUrl)) === 1, 15_000);
      expect(calls).toBe(2);
      expect(await count(queueUrl)).toBe(0);
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
      expect(dead.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, 'poison']]);
    } finally {
      await poller.stop();
    }
  });

  it('never runs more than maxConcurrency invocations at once', async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    const { poller, send } = await setup(
      'concurrency',
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 150));
        running--;
        done++;
      },
      1,
      2,
    );
    try {
      await Promise.all(Array.from({ length: 6 }, (_, i) => send(`m${i}`)));
      await until(() => done === 6);
      expect(peak).toBe(2);
    } finally {
      await poller.stop();
    }
  });

  it('treats a malformed batchItemFailures answer as a failure of the whole batch', () => {
    const messages = [{ MessageId: 'a' }, { MessageId: 'b' }];
    expect(
      succeededRecords(
        messages,
        { ok: true, result: { batchItemFailures: [{ itemIdentifier: 'a' }] } },
        true,
      ),
    ).toEqual([{ MessageId: 'b' }]);
    expect(
      succeededRecords(messages, { ok: true, result: { batchItemFailures: [{ itemIdentifier: '' }] } }, true),
    ).toEqual([]);
    expect(succeededRecords(messages, { ok: true, result: { batchItemFailures: [] } }, true)).toEqual(
      messages,
    );
    expect(succeededRecords(messages, { ok: false }, true)).toEqual([]);
  });
});
