import { transactionRowProcessorFromEnv } from '../events/event-deps-from-env';
import { importHandler } from '../imports/import-handler';
import { ingestReading } from '../imports/ingest-reading';

/** S3 -> SQS -> here: transaction files under imports/transactions/ become purchase and refund events. */
export const handler = importHandler({
  kind: 'transactions',
  queue: 'transactionImports',
  processor: transactionRowProcessorFromEnv(),
  reading: ingestReading,
});
