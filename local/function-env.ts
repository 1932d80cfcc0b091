import {
  type QueueName,
  resourceEnv,
  type SettingName,
  settings,
  type TableName,
  type TopicName,
  tableNames,
} from '../lib/definition';

export interface FunctionEnvInput {
  readonly stage: string;
  readonly region: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
  /** The SMS endpoint, which forwards topic calls to fauxqs. */
  readonly snsEndpoint: string;
  readonly s3Endpoint: string;
  readonly sqsEndpoint: string;
  readonly tables: Readonly<Record<TableName, string>>;
  readonly bucket: string;
  readonly topics: Readonly<Record<TopicName, string>>;
  /** Queue URLs by definition name. */
  readonly queues: Readonly<Record<QueueName, string>>;
  readonly configurationSet: string;
  readonly apiUrl: string;
  readonly unsubscribeSecret: string;
  /** Settings already set here win over the defaults (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The environment functions get locally: region, dummy credentials, the SDK's service-specific
 * endpoint variables (`AWS_ENDPOINT_URL_<serviceId>`; SES v2's serviceId is `SESv2`), the resource
 * names of `resourceEnv`, and every setting (its value from the environment, else its default).
 */
export const functionEnvironment = (input: FunctionEnvInput): Record<string, string> => {
  const env = input.env ?? process.env;
  const settingEnv = Object.fromEntries(
    (Object.keys(settings) as SettingName[]).map((name) => [
      settings[name].env,
      env[settings[name].env] || settings[name].default,
    ]),
  );
  return {
    ...settingEnv,
    [settings.stage.env]: input.stage,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SESV2: input.sesEndpoint,
    AWS_ENDPOINT_URL_SNS: input.snsEndpoint,
    AWS_ENDPOINT_URL_S3: input.s3Endpoint,
    AWS_ENDPOINT_URL_SQS: input.sqsEndpoint,
    S3_FORCE_PATH_STYLE: 'true',
    ...Object.fromEntries(tableNames.map((name) => [resourceEnv.table(name), input.tables[name]])),
    [resourceEnv.dropBucket]: input.bucket,
    [resourceEnv.opsTopicArn]: input.topics.ops,
    [resourceEnv.sesConfigurationSet]: input.configurationSet,
    [resourceEnv.publicApiUrl]: input.apiUrl,
    [resourceEnv.unsubscribeSecret]: input.unsubscribeSecret,
    ...Object.fromEntries(
      (Object.keys(input.queues) as QueueName[]).map((name) => [
        resourceEnv.queueUrl(name),
        input.queues[name],
      ]),
    ),
  };
};
