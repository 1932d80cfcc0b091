import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageSpyReader, SpyMessage } from 'fauxqs';
import { objectCreatedEvent } from './s3-event';

/** One bucket notification: objects created under `prefix` in `bucket` are announced to `queueName`. */
export interface S3NotificationRule {
  readonly id: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly queueName: string;
}

export interface S3BridgeOptions {
  /** The fauxqs spy of the emulator holding the bucket (it reports `uploaded` with bucket and key). */
  readonly spy: MessageSpyReader;
  /** fauxqs endpoint (S3 and SQS). */
  readonly endpoint: string;
  readonly region: string;
  readonly rules: readonly S3NotificationRule[];
}

export interface S3Bridge {
  readonly rules: readonly S3NotificationRule[];
  /** Resolves when every upload seen so far has been delivered. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Delivers S3 event notifications, which fauxqs does not send: every object created in a bucket
 * under a rule's prefix becomes the S3 `ObjectCreated:Put` notification JSON in the rule's queue.
 * Listens to the fauxqs spy through its public API: a `waitForMessage` predicate sees every event.
 */
export const startS3Bridge = (options: S3BridgeOptions): S3Bridge => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const s3 = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials,
    forcePathStyle: true,
  });
  const sqs = new SQSClient({ endpoint: options.endpoint, region: options.region, credentials });
  const queueUrls = new Map<string, Promise<string>>();
  let stopped = false;
  let chain = Promise.resolve();

  const queueUrl = (name: string): Promise<string> => {
    let url = queueUrls.get(name);
    if (url === undefined) {
      url = sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((r) => r.QueueUrl!);
      url.catch(() => queueUrls.delete(name));
      queueUrls.set(name, url);
    }
    return url;
  };

  const deliver = async (bucket: string, key: string, rule: S3NotificationRule): Promise<void> => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const event = objectCreatedEvent({
      region: options.region,
      bucket,
      key,
      size: head.ContentLength ?? 0,
      eTag: head.ETag ?? '',
      configurationId: rule.id,
      ...(head.VersionId ? { versionId: head.VersionId } : {}),
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: await queueUrl(rule.queueName),
        MessageBody: JSON.stringify(event),
      }),
    );
  };

  const onEvent = (message: SpyMessage): void => {
    if (stopped || message.service !== 's3' || message.status !== 'uploaded') return;
    for (const rule of options.rules) {
      if (rule.bucket !== message.bucket || !message.key.startsWith(rule.prefix)) continue;
      chain = chain.then(() =>
        deliver(message.bucket, message.key, rule).catch((error: unknown) => {
          console.warn(`[s3-bridge] could not notify ${rule.queueName}: ${(error as Error).message}`);
        }),
      );
    }
  };

  let registering = false;
  const listen = (): void => {
    if (stopped) return;
    registering = true;
    // The predicate runs for every event the spy records; it never matches, so the waiter stays.
    const waiting = options.spy.waitForMessage((message) => {
      if (!registering) onEvent(message);
      return false;
    });
    registering = false;
    // spy.clear() (fauxqs reset) rejects waiters: listen again.
    waiting.catch(() => listen());
  };
  listen();

  return {
    rules: options.rules,
    idle: () => chain,
    stop: async () => {
      stopped = true;
      await chain;
      s3.destroy();
      sqs.destroy();
    },
  };
};
