import type { S3Event } from 'aws-lambda';
import type { S3ObjectRef } from '../imports/s3-object-ref';

/**
 * The objects an S3 event notification (an SQS message body) announces. S3 URL-encodes keys with
 * `+` for spaces. The `s3:TestEvent` S3 sends when notifications are configured announces none.
 */
export const objectsInS3Notification = (body: string): S3ObjectRef[] => {
  const message = JSON.parse(body) as Partial<S3Event> & { Event?: string };
  if (message.Event === 's3:TestEvent') return [];
  if (!Array.isArray(message.Records)) throw new Error('not an S3 event notification');
  return message.Records.filter((r) => r.eventName?.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    eTag: (r.s3.object.eTag ?? '').replace(/"/g, ''),
    size: r.s3.object.size ?? 0,
  }));
};

/** The message that resumes an import in a new invocation (sent to the import's own queue). */
export interface ImportContinuation {
  readonly rekindleImportContinuation: S3ObjectRef;
}

/** Files to import from a queue message: an S3 notification, or a continuation. */
export const objectsInMessage = (body: string): S3ObjectRef[] => {
  const parsed = JSON.parse(body) as Partial<ImportContinuation>;
  if (parsed.rekindleImportContinuation) return [parsed.rekindleImportContinuation];
  return objectsInS3Notification(body);
};
