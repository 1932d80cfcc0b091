import { resourceEnv } from '../../lib/definition';
import { campaignStoreFromEnv } from '../campaigns/campaigns-from-env';
import { JobBusyError } from '../jobs/job-busy-error';
import { runMessageSchema } from '../runs/run-messages';
import {
  recipientSettingsFromEnv,
  runStartsFromEnv,
  runStoreFromEnv,
  sendQueueFromEnv,
} from '../runs/runs-from-env';
import { startRun } from '../runs/start-run';
import { DynamoDbAudienceReader } from '../segments/dynamodb-audience-reader';
import { DynamoDbSegmentStore } from '../segments/dynamodb-segment-store';
import { documentClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { requiredEnv } from '../shared/settings';
import { sqsJobHandler } from '../sqs/sqs-job-handler';
import { DynamoDbTemplateStore } from '../templates/dynamodb-template-store';

const campaignsTable = requiredEnv(resourceEnv.table('campaigns'));
const runs = runStoreFromEnv();
const campaigns = campaignStoreFromEnv();
const segments = new DynamoDbSegmentStore(documentClient(), campaignsTable);
const templates = new DynamoDbTemplateStore(documentClient(), campaignsTable);
const audience = new DynamoDbAudienceReader(documentClient(), requiredEnv(resourceEnv.table('profiles')));
const sendBatches = sendQueueFromEnv();
const starts = runStartsFromEnv();
const settings = recipientSettingsFromEnv();

/**
 * The campaign-starts queue, one message per invocation: a firing starts its run (a redelivered
 * firing finds the same run), a continuation reads on where the last invocation stopped, and a
 * check completes a run whose recipients are all decided. A run another invocation holds goes
 * back to the queue.
 */
export const handler = sqsJobHandler(async (record, context) => {
  const message = runMessageSchema.parse(JSON.parse(record.body));
  const step = await startRun(
    {
      runs,
      campaigns,
      segments,
      templates,
      audience,
      sendBatches: (batches) => sendBatches(batches),
      continueLater: (next, delaySeconds) => starts(next, delaySeconds),
      settings,
      owner: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    },
    message,
  );
  if (step.outcome === 'busy') throw new JobBusyError(step.runId);
  logger.info(`campaign run ${step.outcome}`, {
    campaignId: message.campaignId,
    ...('run' in step
      ? { runId: step.run.runId, status: step.run.status, selection: step.run.selection }
      : { runId: step.runId, reason: step.reason }),
  });
});
