import { type FunctionSpec, resourceEnv, type TableName } from './definition';
import type { RekindleResources } from './rekindle-resources';
import { type ResolvedSettings, settingsEnvironment } from './settings';

/** Service name of the Powertools logger, tracer and metrics of every function. */
export const powertoolsServiceName = 'rekindle';

/**
 * The environment of one function: the resource names of what its `access` grants (and nothing
 * else), every setting under its `env` name, and the runtime options.
 */
export const functionEnvironment = (
  spec: FunctionSpec,
  resources: RekindleResources,
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
    env[resourceEnv.table(name)] = resources.tables[name].tableName;
  }
  if (access.dropBucket) env[resourceEnv.dropBucket] = resources.dropBucket.bucketName;
  if (access.publishOps) env[resourceEnv.opsTopicArn] = resources.opsTopic.topicArn;
  for (const name of access.sendToQueues ?? [])
    env[resourceEnv.queueUrl(name)] = resources.queues[name].queueUrl;
  if (access.sendEmail) env[resourceEnv.sesConfigurationSet] = resources.configurationSetName;
  if (access.unsubscribeSecret) {
    env[resourceEnv.unsubscribeSecretArn] = resources.unsubscribeSecret.secretArn;
    env[resourceEnv.publicApiUrl] = resources.publicApiUrl;
  }
  return env;
};
