import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dropBucket, resourceEnv } from '../../lib/definition';
import { S3FileStore } from '../files/s3-file-store';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { importProfileFile } from '../imports/import-profile-file';
import { objectsInS3Notification } from '../imports/s3-object-ref';
import { SnsOpsNotifier } from '../ops/sns-ops-notifier';
import { profileServiceFromEnv } from '../profiles/profile-service-from-env';
import { documentClient, s3Client, snsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { requiredEnv } from '../shared/settings';

const deps = {
  imports: new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs'))),
  profiles: profileServiceFromEnv(),
  files: new S3FileStore(s3Client()),
  ops: new SnsOpsNotifier(snsClient(), requiredEnv(resourceEnv.opsTopicArn)),
  reportsPrefix: dropBucket.reportsPrefix,
};

/** S3 -> SQS -> here. A message that fails is reported back alone and redelivered (then dead-lettered). */
export const handler = async (
  event: SQSEvent,
  context: { getRemainingTimeInMillis(): number },
): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of event.Records) {
    try {
      for (const ref of objectsInS3Notification(message.body)) {
        const result = await importProfileFile(
          { ...deps, leaseMs: context.getRemainingTimeInMillis() + 30_000 },
          ref,
        );
        logger.info('import finished', {
          importId: result.importId,
          status: result.status,
          counts: result.counts,
        });
      }
    } catch (error) {
      logger.error('import failed; the message will be redelivered', {
        messageId: message.messageId,
        error: error as Error,
      });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
};
