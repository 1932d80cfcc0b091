import { randomBytes } from 'node:crypto';
import type { S3Event } from 'aws-lambda';

/** Encodes an object key as S3 does in event notifications: form encoding (space is `+`), `/` kept. */
export const encodeS3EventKey = (key: string): string =>
  Array.from(key, (c) => {
    if (/[A-Za-z0-9.\-*_/]/.test(c)) return c;
    if (c === ' ') return '+';
    return Array.from(
      Buffer.from(c, 'utf8'),
      (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join('');
  }).join('');

let lastSequence = 0n;

/** An S3 `sequencer`: hex, increasing within this process (S3 only promises order per key). */
export const nextSequencer = (): string => {
  const now = BigInt(Date.now()) << 16n;
  lastSequence = now > lastSequence ? now : lastSequence + 1n;
  return lastSequence.toString(16).toUpperCase().padStart(18, '0');
};

export interface ObjectCreated {
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Without quotes, as in notifications. */
  readonly eTag: string;
  readonly configurationId: string;
  readonly eventTime?: Date;
  readonly versionId?: string;
}

/** The notification S3 sends for a PutObject (`s3:ObjectCreated:Put`), event version 2.1. */
export const objectCreatedEvent = (created: ObjectCreated): S3Event => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: created.region,
      eventTime: (created.eventTime ?? new Date()).toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDALOCALREKINDLE0000' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
        'x-amz-id-2': randomBytes(48).toString('base64'),
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: created.configurationId,
        bucket: {
          name: created.bucket,
          ownerIdentity: { principalId: 'A1LOCALREKINDLE' },
          arn: `arn:aws:s3:::${created.bucket}`,
        },
        object: {
          key: encodeS3EventKey(created.key),
          size: created.size,
          eTag: created.eTag.replaceAll('"', ''),
          ...(created.versionId === undefined ? {} : { versionId: created.versionId }),
          sequencer: nextSequencer(),
        },
      },
    },
  ],
});
