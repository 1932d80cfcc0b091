import {
  CreateTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  type QueueName,
  queues,
  type TableName,
  type TopicName,
  tableNames,
  tables,
} from '../lib/definition';
import type { ResourceNames } from './resource-names';

export interface ProvisionEndpoints {
  readonly dynamodb: string;
  /** fauxqs: S3, SQS and SNS topics. */
  readonly fauxqs: string;
  readonly region: string;
}

export interface ProvisionedQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly deadLetterName: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
}

export interface ProvisionedResources {
  readonly tables: Readonly<Record<TableName, string>>;
  readonly bucket: string;
  readonly queues: Readonly<Record<QueueName, ProvisionedQueue>>;
  readonly topics: Readonly<Record<TopicName, string>>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** 14 days, what the stack keeps dead letters for. */
const deadLetterRetentionSeconds = String(14 * 24 * 3600);

const createTable = async (dynamodb: DynamoDBClient, name: TableName, tableName: string): Promise<void> => {
  const spec = tables[name];
  const keyAttributes = new Set([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]);
  const indexes: GlobalSecondaryIndex[] = (spec.globalIndexes ?? []).map((index) => {
    keyAttributes.add(index.partitionKey);
    if (index.sortKey) keyAttributes.add(index.sortKey);
    return {
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: { ProjectionType: 'ALL' },
    };
  });
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keyAttributes].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: 'HASH' },
          ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (spec.timeToLive) {
    try {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: spec.timeToLive, Enabled: true },
        }),
      );
    } catch (error) {
      // Already enabled on a persisted table.
      if (!/already enabled/i.test((error as Error).message)) throw error;
    }
  }
};

/**
 * Queue URLs as functions can use them: fauxqs names its queues `http://sqs.<region>.localhost:<port>/…`
 * (a host the resolver here does not know, and which the SDK uses as the endpoint of SendMessage),
 * and keeps the port of the run that created a persisted queue. fauxqs finds a queue by the URL's
 * path alone, so the emulator's own host and current port are used.
 */
const onEmulatorHost = (url: string, endpoint: string): string => {
  const parsed = new URL(url);
  const current = new URL(endpoint);
  parsed.hostname = current.hostname;
  parsed.port = current.port;
  return parsed.toString();
};

const ensureQueue = async (
  sqs: SQSClient,
  endpoint: string,
  name: string,
  attributes: Record<string, string>,
): Promise<string> => {
  try {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
      .QueueUrl!;
    return onEmulatorHost(url, endpoint);
  } catch (error) {
    // A persisted queue with other attributes: bring it in line.
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    if (!url) throw error;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
    return onEmulatorHost(url, endpoint);
  }
};

const queueArn = async (sqs: SQSClient, url: string): Promise<string> =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes!['QueueArn']!;

/**
 * Creates every resource of the definition in the emulators: tables (keys, GSIs, TTL), the drop
 * bucket, each queue with its dead-letter queue and redrive policy, the topics. Idempotent.
 */
export const provision = async (
  names: ResourceNames,
  endpoints: ProvisionEndpoints,
): Promise<ProvisionedResources> => {
  const region = endpoints.region;
  const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region, credentials });
  const s3 = new S3Client({ endpoint: endpoints.fauxqs, region, credentials, forcePathStyle: true });
  const sqs = new SQSClient({ endpoint: endpoints.fauxqs, region, credentials });
  const sns = new SNSClient({ endpoint: endpoints.fauxqs, region, credentials });
  try {
    await Promise.all(tableNames.map((name) => createTable(dynamodb, name, names.tables[name])));
    try {
      await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
    const provisionedQueues = {} as Record<QueueName, ProvisionedQueue>;
    for (const queue of Object.keys(queues) as QueueName[]) {
      const spec = queues[queue];
      const { name, deadLetterName } = names.queues[queue];
      const deadLetterUrl = await ensureQueue(sqs, endpoints.fauxqs, deadLetterName, {
        MessageRetentionPeriod: deadLetterRetentionSeconds,
      });
      const deadLetterArn = await queueArn(sqs, deadLetterUrl);
      const url = await ensureQueue(sqs, endpoints.fauxqs, name, {
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterArn,
          maxReceiveCount: spec.maxReceiveCount,
        }),
      });
      provisionedQueues[queue] = {
        name,
        url,
        arn: await queueArn(sqs, url),
        deadLetterName,
        deadLetterUrl,
        deadLetterArn,
      };
    }
    const provisionedTopics = {} as Record<TopicName, string>;
    for (const topic of Object.keys(names.topics) as TopicName[]) {
      provisionedTopics[topic] = (await sns.send(new CreateTopicCommand({ Name: names.topics[topic] })))
        .TopicArn!;
    }
    return {
      tables: names.tables,
      bucket: names.bucket,
      queues: provisionedQueues,
      topics: provisionedTopics,
    };
  } finally {
    dynamodb.destroy();
    s3.destroy();
    sqs.destroy();
    sns.destroy();
  }
};
