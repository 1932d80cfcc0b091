/**
 * The deployed stack and the local runner are both built from lib/definition.ts; this proves they
 * agree: every function with every trigger (HTTP routes, the authorizer, S3 prefix -> queue ->
 * function, schedules with expression and time zone) read back from the synthesized template is
 * exactly what `local/wiring.ts` serves.
 */
import { describe, expect, it } from 'vitest';
import { functions, type QueueName, type TableName, tables } from '../lib/definition';
import type { ResourceRefs } from '../lib/function-environment';
import { domainOfAddress } from '../lib/settings';
import { type CfnTemplate, wiringFromTemplate } from '../lib/template-wiring';
import { testApp } from '../lib/test-support';
import { type Binding, bindingKey } from '../lib/wiring';
import { accessPolicy, type PolicyResources } from '../local/access/access-policy';
import { localFunctionEnvironment } from '../local/function-env';
import { resourceNames } from '../local/resource-names';
import { lambdaRuntimeEnvironment } from '../local/runtime/lambda-runtime-env';
import { createLocalWiring } from '../local/wiring';
import { pseudo, symbolicTemplate } from './template-grants';

const templateBindings = (env: Record<string, string>): Binding[] => {
  const { template, settings } = testApp({}, env);
  return wiringFromTemplate(template.toJSON() as CfnTemplate, settings.stage);
};

const localBindings = (env: Record<string, string>): Binding[] => createLocalWiring({ env }).bindings();

const keys = (bindings: Binding[]): string[] => bindings.map(bindingKey).sort();

describe('the synthesized stack and the local runner', () => {
  it('wire the same functions to the same triggers', () => {
    const deployed = templateBindings({});
    const local = localBindings({});
    expect(keys(local)).toEqual(keys(deployed));
    // Every function of the definition is reachable, each binding only once.
    expect(new Set(deployed.map((b) => b.function))).toEqual(new Set(functions.map((f) => f.name)));
    expect(new Set(keys(deployed)).size).toBe(deployed.length);
  });

  it('read the schedule settings the same way', () => {
    const env = { SCORING_SCHEDULE: 'cron(30 8 ? * MON *)', SCHEDULE_TIMEZONE: 'America/New_York' };
    const deployed = templateBindings(env).filter((b) => b.kind === 'schedule');
    expect(deployed).toContainEqual(
      expect.objectContaining({ expression: 'cron(30 8 ? * MON *)', timezone: 'America/New_York' }),
    );
    expect(keys(localBindings(env).filter((b) => b.kind === 'schedule'))).toEqual(keys(deployed));
  });
});

/**
 * The local runner builds each function's environment (`localFunctionEnvironment`) and policy
 * (`accessPolicy`, which the access proxy enforces) from the definition; the stack builds them
 * through CDK grants. Both are compared here in symbolic form, so a grant CDK adds that the proxy
 * lacks (or the reverse) fails this test, not a deployment.
 */
describe('each function, in the template and in the local runner', () => {
  const { template, settings } = testApp();
  const symbolic = symbolicTemplate(template.toJSON() as CfnTemplate);
  const names = resourceNames(settings.stage);
  const queueNames = Object.keys(names.queues) as QueueName[];
  const refs: ResourceRefs = {
    tables: Object.fromEntries(Object.keys(tables).map((t) => [t, `table:${t}`])) as Record<
      TableName,
      string
    >,
    dropBucket: 'bucket',
    opsTopicArn: 'topic:ops',
    queueUrls: Object.fromEntries(queueNames.map((q) => [q, `queue:${q}`])) as Record<QueueName, string>,
    configurationSetName: names.configurationSet,
    unsubscribeSecretArn: 'secret:unsubscribe',
    publicApiUrl: 'api',
    campaignScheduling: {
      group: `rekindle-${settings.stage}-campaigns`,
      targetArn: 'queue:campaignStarts',
      roleArn: 'role:campaign-scheduler',
      deadLetterArn: 'queue:campaign-schedules-dlq',
    },
  };
  const arn = (service: string, resource: string) =>
    `arn:${pseudo.partition}:${service}:${pseudo.region}:${pseudo.account}:${resource}`;
  const arns: PolicyResources = {
    tableArns: refs.tables,
    bucketArn: 'bucket',
    queueArns: Object.fromEntries(queueNames.map((q) => [q, `queue:${q}`])) as Record<QueueName, string>,
    opsTopicArn: 'topic:ops',
    unsubscribeSecretArn: 'secret:unsubscribe',
    sendingIdentityArn: arn('ses', `identity/${domainOfAddress(settings.fromAddress)}`),
    configurationSetArn: arn('ses', `configuration-set/${names.configurationSet}`),
    campaignSchedulesArn: arn('scheduler', `schedule/${refs.campaignScheduling.group}/*`),
    campaignSchedulerRoleArn: refs.campaignScheduling.roleArn,
  };
  const runtimeOnly = new Set(
    Object.keys({
      ...lambdaRuntimeEnvironment({
        functionName: 'f',
        region: 'r',
        memoryMb: 1,
        accessKeyId: 'k',
        secretAccessKey: 's',
        sessionToken: 't',
      }),
    }),
  );

  it.each(functions.map((f) => [f.name, f] as const))('%s: the same environment', (name, spec) => {
    const local = localFunctionEnvironment(spec, {
      functionName: `rekindle-${settings.stage}-${name}`,
      region: 'eu-west-2',
      refs,
      settings,
      endpoints: {
        dynamodb: 'http://proxy',
        sesv2: 'http://proxy',
        sns: 'http://proxy',
        s3: 'http://proxy',
        sqs: 'http://proxy',
        secretsManager: 'http://proxy',
        scheduler: 'http://proxy',
      },
      credentials: { accessKeyId: 'k', secretAccessKey: 's', sessionToken: 't' },
    });
    const deployed = symbolic.environments.get(name) ?? {};
    const fromTemplate = Object.fromEntries(Object.keys(deployed).map((key) => [key, local[key]]));
    expect(fromTemplate).toEqual(deployed);
    // Beyond the template: only what Lambda itself sets and the SDK's endpoint variables.
    const extra = Object.keys(local).filter((key) => !(key in deployed));
    expect(
      extra.filter(
        (key) =>
          !runtimeOnly.has(key) &&
          !key.startsWith('AWS_ENDPOINT_URL_') &&
          !['S3_FORCE_PATH_STYLE', 'AWS_EC2_METADATA_DISABLED'].includes(key),
      ),
    ).toEqual([]);
  });

  it.each(functions.map((f) => [f.name, f] as const))('%s: the same grants', (name, spec) => {
    const local = new Set(
      accessPolicy(spec.access, arns).flatMap((s) =>
        s.actions.flatMap((action) =>
          s.resources.map(
            (resource) =>
              `${action} ${resource}${s.s3PrefixLike ? ` prefix=${[...s.s3PrefixLike].sort().join('|')}` : ''}`,
          ),
        ),
      ),
    );
    // What the local runner does itself, not the function: writing logs and traces, KMS under the
    // encrypted tables, and receiving from the trigger queue (the event source mapping polls).
    const ownQueues = new Set(
      spec.triggers.flatMap((t) => ('queue' in t && typeof t.queue === 'string' ? [`queue:${t.queue}`] : [])),
    );
    const pollerActions = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage'];
    const deployed = [...(symbolic.grants.get(name) ?? [])].filter((grant) => {
      const [action = '', resource = ''] = grant.split(' ');
      if (/^(logs|xray|kms):/.test(action)) return false;
      if (ownQueues.has(resource) && (pollerActions.includes(action) || action.startsWith('sqs:Get')))
        return local.has(grant); // also what the function sends to its own queue (continuations)
      return true;
    });
    expect([...local].sort()).toEqual(deployed.sort());
  });
});
