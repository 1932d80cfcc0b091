import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreateTopicCommand,
  ListPhoneNumbersOptedOutCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FauxqsLocal, startFauxqsLocal } from './fauxqs-local';
import { type SmsEndpoint, startSmsEndpoint } from './sms-endpoint';
import type { SentSms } from './sms-store';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let fauxqs: FauxqsLocal;
let sms: SmsEndpoint;
let sns: SNSClient;

beforeAll(async () => {
  fauxqs = await startFauxqsLocal();
  sms = await startSmsEndpoint({ upstream: fauxqs.url });
  sns = new SNSClient({ endpoint: sms.url, region: 'us-east-1', credentials });
});

afterAll(async () => {
  sns.destroy();
  await sms.stop();
  await fauxqs.stop();
});

beforeEach(async () => {
  await fetch(`${sms.url}/clear`, { method: 'POST' });
});

const messages = async (): Promise<SentSms[]> =>
  (await (await fetch(`${sms.url}/messages`)).json()) as SentSms[];

describe('SMS endpoint', () => {
  it('records a Publish to a phone number with its attributes', async () => {
    const result = await sns.send(
      new PublishCommand({
        PhoneNumber: '+447700900123',
        Message: 'Come back: 20% off',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Rekindle' },
        },
      }),
    );
    expect(result.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.$metadata.httpStatusCode).toBe(200);
    const [sent, ...rest] = await messages();
    expect(rest).toEqual([]);
    expect(sent).toMatchObject({
      messageId: result.MessageId,
      phoneNumber: '+447700900123',
      message: 'Come back: 20% off',
      smsType: 'Promotional',
      senderId: 'Rekindle',
      status: 'delivered',
      encoding: 'GSM-7',
      parts: 1,
      messageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' } },
    });
    expect(Date.parse(sent!.at)).toBeGreaterThan(Date.now() - 10_000);
    const page = await (await fetch(sms.url)).text();
    expect(page).toContain('Come back: 20% off');
  });

  it('answers InvalidParameter for a number that is not E.164, as SNS does', async () => {
    const error = await sns
      .send(new PublishCommand({ PhoneNumber: '07700 900123', Message: 'hi' }))
      .catch((e) => e);
    expect(error.name).toBe('InvalidParameterException');
    expect(error.Code).toBe('InvalidParameter');
    expect(error.Type).toBe('Sender');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^Invalid parameter: PhoneNumber/);
    const check = await sns
      .send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+1' }))
      .catch((e: Error) => e);
    expect((check as Error).name).toBe('InvalidParameterException');
    expect(await messages()).toEqual([]);
  });

  it('runs the opt-out flow: STOP reply, check, publish dropped, opt back in', async () => {
    const phoneNumber = '+447700900456';
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }))).isOptedOut).toBe(false);
    const reply = await fetch(`${sms.url}/opt-out`, {
      method: 'POST',
      body: JSON.stringify({ phoneNumber }),
    });
    expect(reply.status).toBe(200);
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }))).isOptedOut).toBe(true);
    await sns.send(new PublishCommand({ PhoneNumber: phoneNumber, Message: 'offer' }));
    expect((await messages()).map((m) => m.status)).toEqual(['opted-out']);
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber }));
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }))).isOptedOut).toBe(false);
  });

  it('pages ListPhoneNumbersOptedOut by 100 with nextToken', async () => {
    const numbers = Array.from({ length: 250 }, (_, i) => `+4477009${String(i).padStart(5, '0')}`);
    for (const phoneNumber of numbers) sms.store.optOut(phoneNumber);
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await sns.send(new ListPhoneNumbersOptedOutCommand(nextToken ? { nextToken } : {}));
      pages.push(page.phoneNumbers ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat()).toEqual(numbers);
    for (const phoneNumber of numbers) sms.store.optIn(phoneNumber);
  });

  it('forwards topic calls to fauxqs', async () => {
    const sqs = new SQSClient({ endpoint: fauxqs.url, region: 'us-east-1', credentials });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sms-forward-test' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ops-forward-test' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:ops-forward-test');
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:sms-forward-test',
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const published = await sns.send(new PublishCommand({ TopicArn, Message: 'import finished' }));
    expect(published.MessageId).toBeTruthy();
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['import finished']);
    const missing = await sns.send(new PublishCommand({ Message: 'no target' })).catch((e: Error) => e);
    expect(missing).toBeInstanceOf(Error);
    expect(await messages()).toEqual([]);
    sqs.destroy();
  });
});
