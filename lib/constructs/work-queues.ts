import { Duration, Tags } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type QueueName, queues } from '../definition';
import { definitionTags, pascal, resourceName } from '../naming';

export interface WorkQueuesProps {
  readonly stage: string;
  readonly key: IKey;
}

/** One SQS queue per `queues` entry, each with its dead-letter queue, KMS-encrypted, TLS only. */
export class WorkQueues extends Construct {
  readonly queues: Readonly<Record<QueueName, Queue>>;
  readonly deadLetterQueues: Readonly<Record<QueueName, Queue>>;

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    const built = {} as Record<QueueName, Queue>;
    const dead = {} as Record<QueueName, Queue>;
    for (const name of Object.keys(queues) as QueueName[]) {
      const spec = queues[name];
      const deadLetterQueue = new Queue(this, `${pascal(name)}DeadLetters`, {
        queueName: resourceName(props.stage, `${name}-dlq`),
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const queue = new Queue(this, pascal(name), {
        queueName: resourceName(props.stage, name),
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      Tags.of(queue).add(definitionTags.queue, name);
      Tags.of(deadLetterQueue).add(definitionTags.deadLetterQueueOf, name);
      built[name] = queue;
      dead[name] = deadLetterQueue;
    }
    this.queues = built;
    this.deadLetterQueues = dead;
  }
}
