import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { resourceEnv } from '../../lib/definition';
import { parseCurrencyRates } from '../events/currency-rates';
import { JobBusyError } from '../jobs/job-busy-error';
import { SnsOpsNotifier } from '../ops/sns-ops-notifier';
import { DynamoDbPurchaseHistory } from '../scoring-job/dynamodb-purchase-history';
import { DynamoDbScoreWriter } from '../scoring-job/dynamodb-score-writer';
import { requestScheduledRun } from '../scoring-job/request-scoring-run';
import { workOnScoringRun } from '../scoring-job/run-scoring';
import { parseScoringOptions } from '../scoring-job/scoring-options';
import { scoringQueueFromEnv, scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';
import { scoringDriftThreshold, scoringTimeUnit } from '../scoring-job/scoring-settings';
import { documentClient, snsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { METRIC, MetricUnit, metrics } from '../shared/metrics';
import { observed } from '../shared/observed';
import { requiredEnv, setting } from '../shared/settings';
import { sqsJobHandler } from '../sqs/sqs-job-handler';

/** What EventBridge Scheduler delivers (the schedule trigger's input in lib/definition.ts). */
const scheduledSchema = z.object({
  job: z.literal('scoring'),
  scheduledTime: z.iso.datetime({ offset: true }),
});
const messageSchema = z.object({ rekindleScoringRun: z.object({ runId: z.string().min(1) }) });

const runs = scoringRunStoreFromEnv();
const enqueue = scoringQueueFromEnv();
const baseCurrency = setting('baseCurrency');
const options = parseScoringOptions(setting('scoringOptions'));
const driftThreshold = scoringDriftThreshold();
const timeUnit = scoringTimeUnit();
const history = new DynamoDbPurchaseHistory(
  documentClient(),
  { events: requiredEnv(resourceEnv.table('events')), profiles: requiredEnv(resourceEnv.table('profiles')) },
  { base: baseCurrency, rates: parseCurrencyRates(setting('currencyRates')) },
);
const scores = new DynamoDbScoreWriter(documentClient(), requiredEnv(resourceEnv.table('profiles')));
const ops = new SnsOpsNotifier(snsClient(), requiredEnv(resourceEnv.opsTopicArn));

const isSqsEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' && event !== null && Array.isArray((event as SQSEvent).Records);

/** The scoring queue: work on one run per message; a busy run goes back to the queue. */
const onQueue = sqsJobHandler(async (record, context) => {
  const { runId } = messageSchema.parse(JSON.parse(record.body)).rekindleScoringRun;
  const step = await workOnScoringRun(
    {
      runs,
      history,
      scores,
      ops,
      continueLater: enqueue,
      remainingMs: () => context.getRemainingTimeInMillis(),
      owner: context.awsRequestId,
      baseCurrency,
      options,
      driftThreshold,
    },
    runId,
  );
  if (step.outcome === 'busy') throw new JobBusyError(runId);
  if (step.outcome === 'finished' && step.run.durationMs !== undefined)
    metrics.addMetric(METRIC.scoringRunDuration, MetricUnit.Milliseconds, step.run.durationMs);
  logger.info('scoring step done', {
    runId,
    outcome: step.outcome,
    ...('run' in step
      ? { status: step.run.status, progress: step.run.progress, timingsMs: step.run.timingsMs }
      : {}),
  });
});

/**
 * Two triggers: the nightly schedule (records the firing's run and queues it) and the scoring queue
 * (requests from POST /scoring/runs, queued firings and continuations), where the work happens, so
 * a crashed invocation's run is redelivered and resumed.
 */
export const handler = observed(
  async (event: unknown, context: Context): Promise<SQSBatchResponse | object> => {
    if (isSqsEvent(event)) return onQueue(event, context);
    const input = scheduledSchema.parse(event);
    const run = await requestScheduledRun({ runs, enqueue }, input.scheduledTime, timeUnit);
    logger.info('scheduled scoring run queued', { runId: run.runId, status: run.status });
    return { runId: run.runId, status: run.status };
  },
);
