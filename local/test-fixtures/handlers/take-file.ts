// Fixture: records each SQS message it gets as an object under reports/seen/, where the test reads it.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';

const s3 = new S3Client({ forcePathStyle: process.env['S3_FORCE_PATH_STYLE'] === 'true' });

export const handler = async (event: SQSEvent) => {
  for (const record of event.Records) {
    await s3.send(
      new PutObjectCommand({
        Bucket: process.env['DROP_BUCKET'],
        Key: `reports/seen/${record.messageId}.json`,
        Body: JSON.stringify(record),
      }),
    );
  }
};
