import { transactionRowProcessorFromEnv } from '../events/event-deps-from-env';
import { ingestReading } from '../imports/ingest-reading';
import { importQueueHandler } from '../sqs/import-queue-handler';

/** S3 -> SQS -> here: transaction files under imports/transactions/ become purchase and refund events. */
export const handler = importQueueHandler({
  kind: 'transactions',
  queue: 'transactionImports',
  processor: transactionRowProcessorFromEnv(),
  reading: ingestReading,
});
