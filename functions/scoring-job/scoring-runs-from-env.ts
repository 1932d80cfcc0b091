import { resourceEnv } from '../../lib/definition';
import { documentClient, sqsClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';
import { sqsJobQueue } from '../sqs/sqs-job-queue';
import { DynamoDbScoringRunStore } from './dynamodb-scoring-run-store';

/** The message on the scoring queue: work on this run (a request, a firing or a continuation). */
export interface ScoringRunMessage {
  readonly rekindleScoringRun: { readonly runId: string };
}

export const scoringRunStoreFromEnv = () =>
  new DynamoDbScoringRunStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

/** Sends a run id to the scoring queue. */
export const scoringQueueFromEnv = () => {
  const send = sqsJobQueue<ScoringRunMessage>(sqsClient(), requiredEnv(resourceEnv.queueUrl('scoringRuns')));
  return (runId: string): Promise<void> => send({ rekindleScoringRun: { runId } });
};
