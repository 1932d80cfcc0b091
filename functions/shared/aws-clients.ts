import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './tracer';

/**
 * SDK clients, created once per container. Endpoints come from the SDK's own configuration
 * (in AWS the regional endpoints; locally the AWS_ENDPOINT_URL_<SERVICE> variables the local
 * runner sets), so the code path is the same in both places.
 */
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

/** Every client is traced: each AWS call is a subsegment of the invocation's X-Ray trace. */
const traced = <C extends object>(client: C): C => tracer.captureAWSv3Client(client);

export const documentClient = once(() =>
  DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    // Integers beyond 2^53 that are exact doubles (1e16) are stored as the decimal sent; the API
    // refuses the numbers a double cannot carry exactly (functions/http/exact-numbers.ts), so
    // reading every number back as a double returns what was accepted (BigInt, the default for
    // large ones, would not even serialise to JSON).
    marshallOptions: {
      removeUndefinedValues: true,
      convertClassInstanceToMap: false,
      allowImpreciseNumbers: true,
    },
    unmarshallOptions: { wrapNumbers: (value: string) => Number(value) },
  }),
);
export const s3Client = once(() =>
  traced(new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' })),
);
export const sesClient = once(() => traced(new SESv2Client({})));
export const snsClient = once(() => traced(new SNSClient({})));
export const sqsClient = once(() => traced(new SQSClient({})));
export const schedulerClient = once(() => traced(new SchedulerClient({})));
