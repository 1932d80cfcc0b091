import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { resourceEnv } from '../../lib/definition';
import { DynamoDbCampaignRunStore } from '../campaigns/dynamodb-campaign-run-store';
import {
  type CampaignRunMessage,
  type ReactivationStep,
  reactivationRunId,
  runReactivation,
} from '../campaigns/run-reactivation';
import { unsubscribeSecret } from '../campaigns/unsubscribe-secret';
import { SesEmailSender } from '../channels/ses-email-sender';
import { SnsSmsSender } from '../channels/sns-sms-sender';
import { JobBusyError } from '../jobs/job-busy-error';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { documentClient, sesClient, snsClient, sqsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { METRIC, MetricUnit, metrics } from '../shared/metrics';
import { observed } from '../shared/observed';
import { numberSetting, requiredEnv, setting } from '../shared/settings';
import { sqsJobHandler } from '../sqs/sqs-job-handler';
import { sqsJobQueue } from '../sqs/sqs-job-queue';

/** What EventBridge Scheduler delivers (see the schedule trigger's input in lib/definition.ts). */
export const reactivationInputSchema = z.object({
  campaign: z.literal('reactivation').default('reactivation'),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});
const continuationSchema = z.object({
  rekindleCampaignRun: z.object({
    runId: z.string().min(1),
    scheduledTime: z.iso.datetime({ offset: true }),
  }),
});

const runs = new DynamoDbCampaignRunStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));
const continueLater = sqsJobQueue<CampaignRunMessage>(
  sqsClient(),
  requiredEnv(resourceEnv.queueUrl('campaignRuns')),
);
const replyTo = setting('replyToAddress');
const mailto = setting('unsubscribeMailto');
const senderId = setting('smsSenderId');
const rules = {
  lapsedDays: numberSetting('reactivationLapsedDays'),
  cooldownDays: numberSetting('reactivationCooldownDays'),
};

const work = async (
  input: { runId: string; scheduledTime: string; continuation: boolean },
  context: Context,
): Promise<ReactivationStep> => {
  const step = await runReactivation(
    {
      profiles: profileTableFromEnv(),
      runs,
      email: new SesEmailSender(sesClient(), {
        from: setting('fromAddress'),
        ...(replyTo ? { replyTo } : {}),
        configurationSet: requiredEnv(resourceEnv.sesConfigurationSet),
      }),
      sms: new SnsSmsSender(snsClient(), senderId ? { senderId } : {}),
      unsubscribeSecret: await unsubscribeSecret(),
      publicApiUrl: requiredEnv(resourceEnv.publicApiUrl),
      ...(mailto ? { unsubscribeMailto: mailto } : {}),
      copy: { subjectTemplate: setting('reactivationSubject'), offer: setting('reactivationOffer') },
      remainingMs: () => context.getRemainingTimeInMillis(),
      owner: context.awsRequestId,
      continueLater,
      onThrottled: () => metrics.addMetric(METRIC.messagesThrottled, MetricUnit.Count, 1),
    },
    input,
    rules,
  );
  if (step.outcome === 'busy') throw new JobBusyError(input.runId);
  const run = 'run' in step ? step.run : undefined;
  logger.info(
    step.outcome === 'finished' ? 'reactivation run finished' : `reactivation run ${step.outcome}`,
    {
      runId: input.runId,
      ...(run ? { counts: run.counts, attempts: run.attempts, invocations: run.invocations } : {}),
    },
  );
  return step;
};

/** Continuations of runs too large for one invocation, from the campaign-runs queue. */
const onQueue = sqsJobHandler(async (record, context) => {
  const { runId, scheduledTime } = continuationSchema.parse(JSON.parse(record.body)).rekindleCampaignRun;
  await work({ runId, scheduledTime, continuation: true }, context);
});

const isSqsEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' && event !== null && Array.isArray((event as SQSEvent).Records);

/**
 * Two triggers: the weekly schedule (a firing starts its run, or makes another pass over a
 * completed one when redelivered) and the campaign-runs queue (continuations).
 */
export const handler = observed(
  async (event: unknown, context: Context): Promise<SQSBatchResponse | object> => {
    if (isSqsEvent(event)) return onQueue(event, context);
    const input = reactivationInputSchema.parse(event ?? {});
    const scheduledTime = input.scheduledTime ?? new Date().toISOString();
    const runId = reactivationRunId(scheduledTime);
    const step = await work({ runId, scheduledTime, continuation: false }, context);
    const run = 'run' in step ? step.run : undefined;
    return { runId, outcome: step.outcome, ...(run?.counts ? { counts: run.counts } : {}) };
  },
);
