import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { QueueName, TableName } from './definition';

/** What a function's `access` can point at, as built by the stack. */
export interface RekindleResources {
  readonly tables: Readonly<Record<TableName, Table>>;
  readonly dropBucket: IBucket;
  readonly queues: Readonly<Record<QueueName, IQueue>>;
  readonly dropBucketKey: IKey;
  readonly opsTopic: ITopic;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  /** The SES identity (the domain of `fromAddress`) campaign email is sent from. */
  readonly sendingIdentityArn: string;
  readonly unsubscribeSecret: ISecret;
  /** The HTTP API's endpoint, for links back to the API (unsubscribe). */
  readonly publicApiUrl: string;
  /** Campaign schedules (EventBridge Scheduler): group, target queue, execution role and DLQ. */
  readonly campaignScheduling: {
    readonly group: string;
    readonly groupArn: string;
    readonly targetArn: string;
    readonly roleArn: string;
    readonly deadLetterArn: string;
  };
}
