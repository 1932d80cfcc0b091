import { Stack, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { QueueName } from '../definition';
import type { RekindleFunction } from './rekindle-function';

/**
 * Wires every `queue` trigger of a function (the queue feeds it) and every `s3` trigger of a function: object-created notifications under the trigger's prefix
 * go to the trigger's queue (SqsDestination also lets s3.amazonaws.com use the queue's KMS key),
 * and the queue feeds the function with the trigger's batch size and maximum concurrency,
 * reporting partial batch failures.
 */
export const wireQueueTriggers = (
  fn: RekindleFunction,
  bucket: IBucket,
  queues: Readonly<Record<QueueName, Queue>>,
): void => {
  for (const trigger of fn.spec.triggers) {
    if (trigger.kind === 'queue') {
      fn.function.addEventSource(
        new SqsEventSource(queues[trigger.queue], {
          batchSize: trigger.batchSize,
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      continue;
    }
    if (trigger.kind !== 's3') continue;
    const queue = queues[trigger.queue];
    bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue), {
      prefix: trigger.prefix,
    });
    acknowledgeNotificationsHandler(Stack.of(bucket));
    fn.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: trigger.batchSize,
        maxConcurrency: trigger.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
};

/** CDK writes bucket notifications at deploy time with its own singleton custom-resource function. */
const acknowledgeNotificationsHandler = (stack: Stack): void => {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (!handler) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "The role of aws-cdk-lib's own BucketNotificationsHandler, which only writes the drop bucket's notification configuration during deployment; CDK creates it with the basic execution managed policy and offers no way to pass a role.",
  });
};
