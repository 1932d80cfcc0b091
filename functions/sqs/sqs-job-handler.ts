import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { JobBusyError } from '../jobs/job-busy-error';
import { logger } from '../shared/logger';
import { observed } from '../shared/observed';

/**
 * The Lambda handler of a job queue: each message is handled alone by `handle`, and the messages
 * that failed are reported back (partial batch response, through Powertools' batch processing) to
 * be redelivered and finally dead-lettered, while the others are deleted. A batch where every
 * message failed is answered the same way rather than thrown: the log says why, once per message.
 * Messages are handled one after another: each is a long job step that wants the whole invocation.
 */
export const sqsJobHandler = (handle: (record: SQSRecord, context: Context) => Promise<void>) => {
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (message: SQSRecord, context: Context): Promise<void> => {
    try {
      await handle(message, context);
    } catch (error) {
      if (error instanceof JobBusyError) logger.warn(error.message, { messageId: message.messageId });
      else
        logger.error('job step failed; the message will be redelivered', {
          messageId: message.messageId,
          error: error as Error,
        });
      throw error;
    }
  };
  return observed(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, (message: SQSRecord) => record(message, context), processor, {
        context,
        throwOnFullBatchFailure: false,
        processInParallel: false,
      }),
  );
};
