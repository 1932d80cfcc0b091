import { dropBucket, type QueueName, resourceEnv } from '../../lib/definition';
import { S3FileStore } from '../files/s3-file-store';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { importFile } from '../imports/import-file';
import type { ImportKind } from '../imports/import-record';
import type { FileReading } from '../imports/record-source';
import type { RowProcessor } from '../imports/row-processor';
import { SnsOpsNotifier } from '../ops/sns-ops-notifier';
import { documentClient, s3Client, snsClient, sqsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { METRIC, MetricUnit, metrics } from '../shared/metrics';
import { requiredEnv, setting } from '../shared/settings';
import { type ImportContinuation, objectsInMessage } from './import-messages';
import { sqsJobHandler } from './sqs-job-handler';
import { sqsJobQueue } from './sqs-job-queue';

/**
 * The handler of an import function's queue: every message is an S3 notification or a
 * continuation; each file is imported by the pipeline; a failed message is reported back alone
 * (redelivered, then dead-lettered). Sidecar manifests are not files to import.
 */
export const importQueueHandler = <T, C extends string>(options: {
  kind: ImportKind;
  queue: QueueName;
  processor: RowProcessor<T, C>;
  reading?: FileReading;
}) => {
  const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));
  const files = new S3FileStore(s3Client());
  const ops = new SnsOpsNotifier(snsClient(), requiredEnv(resourceEnv.opsTopicArn));
  const continuation = sqsJobQueue<ImportContinuation>(
    sqsClient(),
    requiredEnv(resourceEnv.queueUrl(options.queue)),
  );

  return sqsJobHandler(async (message, context) => {
    for (const ref of objectsInMessage(message.body)) {
      if (ref.key.endsWith('.manifest.json')) continue;
      const result = await importFile(
        {
          imports,
          files,
          ops,
          ...(options.reading ? { reading: options.reading } : {}),
          continueLater: (next) => continuation({ rekindleImportContinuation: next }),
          remainingMs: () => context.getRemainingTimeInMillis(),
          owner: context.awsRequestId,
          reportsPrefix: dropBucket.reportsPrefix,
          defaultCountry: setting('defaultCountry'),
        },
        ref,
        options.kind,
        options.processor,
      );
      if (result.outcome === 'finished') {
        const { counts, status } = result.record;
        metrics.addMetric(METRIC.rowsImported, MetricUnit.Count, counts.rowsRead - counts.rejected);
        metrics.addMetric(METRIC.rowsRejected, MetricUnit.Count, counts.rejected);
        metrics.addMetric(METRIC.importsFailed, MetricUnit.Count, status === 'failed' ? 1 : 0);
      }
      logger.info('import step done', {
        outcome: result.outcome,
        importId: 'record' in result ? result.record.importId : result.importId,
        ...('record' in result
          ? { status: result.record.status, counts: result.record.counts }
          : { rowsDone: result.rowsDone }),
      });
    }
  });
};
