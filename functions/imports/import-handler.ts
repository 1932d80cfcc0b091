import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dropBucket, type QueueName, resourceEnv } from '../../lib/definition';
import { S3FileStore } from '../files/s3-file-store';
import { SnsOpsNotifier } from '../ops/sns-ops-notifier';
import { documentClient, s3Client, snsClient, sqsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { requiredEnv, setting } from '../shared/settings';
import { DynamoDbImportStore } from './dynamodb-import-store';
import { ImportBusyError, importFile } from './import-file';
import type { ImportKind } from './import-record';
import type { FileReading } from './record-source';
import type { RowProcessor } from './row-processor';
import { type ImportContinuation, objectsInMessage } from './s3-object-ref';

interface LambdaContext {
  getRemainingTimeInMillis(): number;
  awsRequestId?: string;
}

/**
 * The SQS handler of an import function: every message is an S3 notification or a continuation;
 * each file is imported by the pipeline; a failure reports the message back alone (redelivered,
 * then dead-lettered). Sidecar manifests are not files to import.
 */
export const importHandler = <T, C extends string>(options: {
  kind: ImportKind;
  queue: QueueName;
  processor: RowProcessor<T, C>;
  reading?: FileReading;
}) => {
  const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));
  const files = new S3FileStore(s3Client());
  const ops = new SnsOpsNotifier(snsClient(), requiredEnv(resourceEnv.opsTopicArn));
  const queueUrl = requiredEnv(resourceEnv.queueUrl(options.queue));
  const continueLater = async (ref: ImportContinuation['rekindleImportContinuation']) => {
    const body: ImportContinuation = { rekindleImportContinuation: ref };
    await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }));
  };

  return async (event: SQSEvent, context: LambdaContext): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of event.Records) {
      try {
        for (const ref of objectsInMessage(message.body)) {
          if (ref.key.endsWith('.manifest.json')) continue;
          const result = await importFile(
            {
              imports,
              files,
              ops,
              ...(options.reading ? { reading: options.reading } : {}),
              continueLater,
              remainingMs: () => context.getRemainingTimeInMillis(),
              owner: context.awsRequestId ?? randomUUID(),
              reportsPrefix: dropBucket.reportsPrefix,
              defaultCountry: setting('defaultCountry'),
            },
            ref,
            options.kind,
            options.processor,
          );
          logger.info('import step done', {
            outcome: result.outcome,
            importId: 'record' in result ? result.record.importId : result.importId,
            ...('record' in result
              ? { status: result.record.status, counts: result.record.counts }
              : { rowsDone: result.rowsDone }),
          });
        }
      } catch (error) {
        if (error instanceof ImportBusyError) logger.warn(error.message, { messageId: message.messageId });
        else
          logger.error('import failed; the message will be redelivered', {
            messageId: message.messageId,
            error: error as Error,
          });
        batchItemFailures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures };
  };
};
