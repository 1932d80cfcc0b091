import { type FunctionSpec, type QueueName, resourceEnv, type TableName } from './definition';
import type { RekindleResources } from './rekindle-resources';
import { type ResolvedSettings, settingsEnvironment } from './settings';

/** Service name of the Powertools logger, tracer and metrics of every function. */
export const powertoolsServiceName = 'rekindle';

/**
 * The names a function's environment points at, as plain strings: CDK tokens in the stack, the
 * provisioned names locally. Both places build a function's environment from these with
 * `functionEnvironment`, so a function sees locally exactly the variables its template gives it.
 */
export interface ResourceRefs {
  readonly tables: Readonly<Record<TableName, string>>;
  readonly dropBucket: string;
  readonly opsTopicArn: string;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  readonly configurationSetName: string;
  readonly unsubscribeSecretArn: string;
  readonly publicApiUrl: string;
  readonly campaignScheduling: {
    readonly group: string;
    readonly targetArn: string;
    readonly roleArn: string;
    readonly deadLetterArn: string;
  };
}

/** The stack's resources as the references a function's environment holds. */
export const resourceRefs = (resources: RekindleResources): ResourceRefs => ({
  tables: Object.fromEntries(
    Object.entries(resources.tables).map(([name, table]) => [name, table.tableName]),
  ) as Record<TableName, string>,
  dropBucket: resources.dropBucket.bucketName,
  opsTopicArn: resources.opsTopic.topicArn,
  queueUrls: Object.fromEntries(
    Object.entries(resources.queues).map(([name, queue]) => [name, queue.queueUrl]),
  ) as Record<QueueName, string>,
  configurationSetName: resources.configurationSetName,
  unsubscribeSecretArn: resources.unsubscribeSecret.secretArn,
  publicApiUrl: resources.publicApiUrl,
  campaignScheduling: resources.campaignScheduling,
});

/**
 * The environment of one function: the resource names of what its `access` grants (and nothing
 * else), every setting under its `env` name, and the runtime options.
 */
export const functionEnvironment = (
  spec: FunctionSpec,
  refs: ResourceRefs,
  settings: ResolvedSettings,
): Record<string, string> => {
  const env: Record<string, string> = {
    ...settingsEnvironment(settings),
    POWERTOOLS_SERVICE_NAME: powertoolsServiceName,
    NODE_OPTIONS: [
      '--enable-source-maps',
      ...(spec.maxHeapMb ? [`--max-old-space-size=${spec.maxHeapMb}`] : []),
    ].join(' '),
  };
  const { access } = spec;
  for (const name of Object.keys(access.tables ?? {}) as TableName[]) {
    env[resourceEnv.table(name)] = refs.tables[name];
  }
  if (access.dropBucket) env[resourceEnv.dropBucket] = refs.dropBucket;
  if (access.publishOps) env[resourceEnv.opsTopicArn] = refs.opsTopicArn;
  for (const name of access.sendToQueues ?? []) env[resourceEnv.queueUrl(name)] = refs.queueUrls[name];
  if (access.sendEmail) env[resourceEnv.sesConfigurationSet] = refs.configurationSetName;
  if (access.unsubscribeSecret) {
    env[resourceEnv.unsubscribeSecretArn] = refs.unsubscribeSecretArn;
    env[resourceEnv.publicApiUrl] = refs.publicApiUrl;
  }
  if (access.manageCampaignSchedules) {
    env[resourceEnv.campaignScheduleGroup] = refs.campaignScheduling.group;
    env[resourceEnv.campaignScheduleTargetArn] = refs.campaignScheduling.targetArn;
    env[resourceEnv.campaignSchedulerRoleArn] = refs.campaignScheduling.roleArn;
    env[resourceEnv.campaignScheduleDeadLetterArn] = refs.campaignScheduling.deadLetterArn;
  }
  return env;
};
