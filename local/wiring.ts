import {
  functions as definedFunctions,
  type FunctionSpec,
  type QueueName,
  settings,
} from '../lib/definition';
import { resourceName } from '../lib/naming';
import type { Binding } from '../lib/wiring';
import type { DeploymentHookBinding } from './deployment/deployment-hooks';
import { createHttpRouter, type HttpRouter } from './http/http-router';
import { type ResourceNames, resourceNames } from './resource-names';
import type { S3NotificationRule } from './s3-bridge';
import type { ScheduleBinding } from './schedule/scheduler';
import type { SqsPollerSpec } from './sqs/sqs-poller';

export const localAccountId = '000000000000';
export const localRegion = 'us-east-1';
export const localStage = 'local';

export interface LocalWiringOptions {
  /** Default `local`. */
  readonly stage?: string;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Default: the functions of lib/definition.ts (tests pass fixtures). */
  readonly functions?: readonly FunctionSpec[];
  /** Where settings are read (`settings[x].env`), default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What the local runner serves, in the terms the CDK template uses (the agreement test's `Binding`). */
export type LocalBinding = Binding;

export interface LocalWiring {
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  readonly names: ResourceNames;
  readonly functions: readonly FunctionSpec[];
  readonly router: HttpRouter;
  /** Bucket notifications the S3 bridge delivers. */
  readonly s3Notifications: readonly S3NotificationRule[];
  /** SQS event source mappings the pollers run. */
  readonly pollers: readonly SqsPollerSpec[];
  readonly schedules: readonly ScheduleBinding[];
  /** Custom resources CloudFormation would send a Create on the first deployment; sent at each start. */
  readonly deploymentHooks: readonly DeploymentHookBinding[];
  /** Physical function name, as the stack names it (`rekindle-<stage>-<name>`). */
  functionName(fn: FunctionSpec): string;
  /** What the runner serves, read from the router, notifications, pollers and schedules above. */
  bindings(): LocalBinding[];
}

const settingValue = (
  name: keyof typeof settings,
  env: Readonly<Record<string, string | undefined>>,
): string => env[settings[name].env] || settings[name].default;

/** Builds everything the runner serves from the definition, without starting anything. */
export const createLocalWiring = (options: LocalWiringOptions = {}): LocalWiring => {
  const stage = options.stage ?? localStage;
  const region = options.region ?? localRegion;
  const env = options.env ?? process.env;
  const fns = options.functions ?? definedFunctions;
  const names = resourceNames(stage);
  const router = createHttpRouter(fns);
  const s3Notifications: S3NotificationRule[] = [];
  const pollers: SqsPollerSpec[] = [];
  const schedules: ScheduleBinding[] = [];
  const deploymentHooks: DeploymentHookBinding[] = [];
  for (const fn of fns) {
    for (const trigger of fn.triggers) {
      if (trigger.kind === 's3') {
        const queueName = names.queues[trigger.queue]?.name ?? resourceName(stage, trigger.queue);
        s3Notifications.push({
          id: `${fn.name}-${trigger.queue}`,
          bucket: names.bucket,
          prefix: trigger.prefix,
          queueName,
        });
        pollers.push({
          queue: trigger.queue,
          queueName,
          fn,
          batchSize: trigger.batchSize,
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        });
      } else if (trigger.kind === 'queue') {
        pollers.push({
          queue: trigger.queue,
          queueName: names.queues[trigger.queue]?.name ?? resourceName(stage, trigger.queue),
          fn,
          batchSize: trigger.batchSize,
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        });
      } else if (trigger.kind === 'schedule') {
        schedules.push({
          id: trigger.id,
          expression: settingValue(trigger.expressionSetting, env),
          timezone: settingValue(trigger.timezoneSetting, env),
          fn,
          input: trigger.input,
        });
      } else if (trigger.kind === 'deployment') {
        deploymentHooks.push({ id: trigger.id, version: trigger.version, fn });
      }
    }
  }

  const bindings = (): LocalBinding[] => {
    const result: LocalBinding[] = router.routes.map((r) => ({
      kind: 'http',
      routeKey: r.routeKey,
      function: r.fn.name,
    }));
    if (router.defaultFunction)
      result.push({ kind: 'http', routeKey: '$default', function: router.defaultFunction.name });
    if (router.authorizer) result.push({ kind: 'authorizer', function: router.authorizer.name });
    for (const rule of s3Notifications) {
      for (const poller of pollers.filter((p) => p.queueName === rule.queueName)) {
        result.push({
          kind: 's3',
          prefix: rule.prefix,
          queue: poller.queue as QueueName,
          function: poller.fn.name,
        });
      }
    }
    const notified = new Set(s3Notifications.map((rule) => rule.queueName));
    for (const poller of pollers.filter((p) => !notified.has(p.queueName)))
      result.push({ kind: 'queue', queue: poller.queue as QueueName, function: poller.fn.name });
    for (const s of schedules) {
      result.push({
        kind: 'schedule',
        id: s.id,
        expression: s.expression,
        timezone: s.timezone,
        function: s.fn.name,
      });
    }
    for (const h of deploymentHooks)
      result.push({ kind: 'deployment', id: h.id, version: h.version, function: h.fn.name });
    return result;
  };

  return {
    stage,
    region,
    accountId: localAccountId,
    names,
    functions: fns,
    router,
    s3Notifications,
    pollers,
    schedules,
    deploymentHooks,
    functionName: (fn) => resourceName(stage, fn.name),
    bindings,
  };
};
