import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FunctionSpec, QueueName, TableName } from '../../lib/definition';
import type { ResourceRefs } from '../../lib/function-environment';
import { resourceName } from '../../lib/naming';
import { domainOfAddress, type ResolvedSettings } from '../../lib/settings';
import { accessPolicy, type PolicyResources, type Statement } from '../access/access-policy';
import { type AccessProxy, startAccessProxy } from '../access/access-proxy';
import { localSecrets } from '../access/local-secrets';
import type { EmulatorEndpoints } from '../emulators/start-emulators';
import { localFunctionEnvironment } from '../function-env';
import { projectRoot } from '../paths';
import type { ProvisionedResources } from '../provision';
import type { SourceWatcher } from '../watch/source-watcher';
import type { LocalWiring } from '../wiring';
import { createBundleCache } from './bundle-cache';
import { functionLogs } from './function-logs';
import { type Reload, startHotReload } from './hot-reload';
import { createLambdaInvoker, type InvocationReport, type LambdaInvoker } from './lambda-invoker';

export interface LocalFunctionsOptions {
  readonly wiring: LocalWiring;
  readonly emulators: EmulatorEndpoints;
  readonly provisioned: ProvisionedResources;
  readonly settings: ResolvedSettings;
  readonly apiUrl: string;
  readonly unsubscribeSecret: string;
  /** The local Scheduler API (local/schedule/scheduler-api.ts), behind the access proxy too. */
  readonly schedulerUrl: string;
  /** Default `.local/bundles` in the repository, shared by every stack on this machine. */
  readonly bundleCacheDir?: string;
  /** Tests: entry points of fixture functions by name (default `functions/handlers/<name>.ts`). */
  readonly entries?: Readonly<Record<string, string>>;
  /** Echo the functions' log lines to the console (they always go to their files in `logsDir`). */
  readonly log?: boolean;
  /** Where each function's log file is written (`<function>.log`), as CloudWatch keeps a log group. */
  readonly logsDir: string;
  readonly onReport?: (report: InvocationReport) => void;
}

export interface LocalFunctions {
  readonly invoker: LambdaInvoker;
  readonly proxy: AccessProxy;
  /** The complete environment of a function's containers. */
  environmentOf(name: string): Readonly<Record<string, string>>;
  /** The statements of a function's role, as the access proxy applies them. */
  policyOf(name: string): readonly Statement[];
  /**
   * Watches the source directories (default `functions/` and `lib/`): when a file a bundle was built
   * from changes, that bundle is rebuilt at its next cold start and every warm container retires, so
   * the next invocation runs the new code. Stopped with the functions.
   */
  hotReload(onReload: (reload: Reload) => void, dirs?: readonly string[]): SourceWatcher;
  /**
   * Brings every function's bundle up to date, one at a time (the authorizer first, then the HTTP
   * functions, then the others), so first invocations find them built; an invocation that needs a
   * bundle being built waits for that build. Stops early when the functions stop.
   */
  prebuildBundles(): Promise<PrebuildOutcome>;
  stop(): Promise<void>;
}

export interface PrebuildOutcome {
  readonly rebuilt: readonly string[];
  readonly fresh: readonly string[];
  readonly failed: readonly { readonly name: string; readonly message: string }[];
  readonly ms: number;
}

/**
 * The campaign schedules' group, target, role and DLQ locally: the group and role named as the
 * stack names them, firings sent to the campaignStarts queue, undeliverable ones to its DLQ (the
 * stack has a DLQ of the schedules' own; locally nothing reads either).
 */
export const localCampaignScheduling = (
  wiring: Pick<LocalWiring, 'stage' | 'region' | 'accountId'>,
  provisioned: Pick<ProvisionedResources, 'queues'>,
): ResourceRefs['campaignScheduling'] => {
  const starts = provisioned.queues.campaignStarts;
  return {
    group: resourceName(wiring.stage, 'campaigns'),
    targetArn: starts.arn,
    roleArn: `arn:aws:iam::${wiring.accountId}:role/${resourceName(wiring.stage, 'campaign-scheduler')}`,
    deadLetterArn: starts.deadLetterArn,
  };
};

const prebuildOrder = (fn: FunctionSpec): number => {
  const kinds = fn.triggers.map((t) => t.kind);
  if (kinds.includes('httpAuthorizer')) return 0;
  if (kinds.includes('http') || kinds.includes('httpDefault')) return 1;
  return 2;
};

/**
 * Everything that makes a function run locally as in Lambda: the access proxy that plays IAM in
 * front of the emulators, each function's credentials and environment, and the invoker running
 * its bundle in containers of its own.
 */
export const startLocalFunctions = async (options: LocalFunctionsOptions): Promise<LocalFunctions> => {
  const { wiring, provisioned, emulators } = options;
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${wiring.region}:${wiring.accountId}:${resource}`;
  const unsubscribeSecretArn = arn(
    'secretsmanager',
    `secret:${wiring.names.bucket.replace(/-drop$/, '')}-unsubscribe-${randomBytes(3).toString('hex')}`,
  );
  const proxy = await startAccessProxy({
    region: wiring.region,
    accountId: wiring.accountId,
    upstreams: {
      dynamodb: emulators.dynamodb,
      s3: emulators.s3,
      sqs: emulators.sqs,
      sns: emulators.sns,
      ses: emulators.ses,
      scheduler: options.schedulerUrl,
    },
    localServices: {
      secretsmanager: localSecrets(new Map([[unsubscribeSecretArn, options.unsubscribeSecret]])),
    },
    onDenied: (fn, action, resource) =>
      console.warn(`[local] AccessDenied: ${fn} is not allowed ${action} on ${resource}`),
  });
  const queueNames = Object.keys(provisioned.queues) as QueueName[];
  const refs: ResourceRefs = {
    tables: provisioned.tables,
    dropBucket: provisioned.bucket,
    opsTopicArn: provisioned.topics.ops,
    // A queue URL's origin is its service endpoint, as in AWS: here the access proxy.
    queueUrls: Object.fromEntries(
      queueNames.map((name) => [
        name,
        new URL(new URL(provisioned.queues[name].url).pathname, proxy.url).href,
      ]),
    ) as Record<QueueName, string>,
    configurationSetName: wiring.names.configurationSet,
    unsubscribeSecretArn,
    publicApiUrl: options.apiUrl,
    campaignScheduling: localCampaignScheduling(wiring, provisioned),
  };
  const arns: PolicyResources = {
    tableArns: Object.fromEntries(
      Object.entries(provisioned.tables).map(([name, table]) => [name, arn('dynamodb', `table/${table}`)]),
    ) as Record<TableName, string>,
    bucketArn: `arn:aws:s3:::${provisioned.bucket}`,
    queueArns: Object.fromEntries(queueNames.map((name) => [name, provisioned.queues[name].arn])) as Record<
      QueueName,
      string
    >,
    opsTopicArn: provisioned.topics.ops,
    unsubscribeSecretArn,
    sendingIdentityArn: arn('ses', `identity/${domainOfAddress(options.settings.fromAddress)}`),
    configurationSetArn: arn('ses', `configuration-set/${wiring.names.configurationSet}`),
    campaignSchedulesArn: arn('scheduler', `schedule/${refs.campaignScheduling.group}/*`),
    campaignSchedulerRoleArn: refs.campaignScheduling.roleArn,
  };

  const byName = new Map(wiring.functions.map((fn) => [fn.name, fn]));
  const specOf = (name: string): FunctionSpec => {
    const fn = byName.get(name);
    if (!fn) throw new Error(`No function ${name}`);
    return fn;
  };
  const environments = new Map<string, Readonly<Record<string, string>>>();
  const policies = new Map<string, readonly Statement[]>();
  const policyOf = (name: string) => {
    let policy = policies.get(name);
    if (!policy) {
      policy = accessPolicy(specOf(name).access, arns);
      policies.set(name, policy);
    }
    return policy;
  };
  const environmentOf = (name: string) => {
    let env = environments.get(name);
    if (!env) {
      const fn = specOf(name);
      const functionName = wiring.functionName(fn);
      const principal = proxy.principal(functionName, policyOf(name));
      env = localFunctionEnvironment(fn, {
        functionName,
        region: wiring.region,
        refs,
        settings: options.settings,
        endpoints: {
          dynamodb: proxy.url,
          sesv2: proxy.url,
          sns: proxy.url,
          s3: proxy.url,
          sqs: proxy.url,
          secretsManager: proxy.url,
          scheduler: proxy.url,
        },
        credentials: principal,
      });
      environments.set(name, env);
    }
    return env;
  };

  const entries = options.entries ?? {};
  const bundles = createBundleCache(
    options.bundleCacheDir ?? join(projectRoot, '.local', 'bundles'),
    (fn) => entries[fn.name],
  );
  const logs = functionLogs(options.logsDir, { echo: options.log ?? false });
  const invoker = createLambdaInvoker({
    region: wiring.region,
    accountId: wiring.accountId,
    functionName: wiring.functionName,
    bundles,
    environmentOf: (fn) => environmentOf(fn.name),
    onLog: (fn, line, stream) => logs.write(fn.name, line, stream),
    onReport: (report) => {
      options.onReport?.(report);
      if (options.log && report.coldStart)
        console.log(
          `[local] ${report.function} cold start: bundle ${report.coldStart.bundleMs.toFixed(0)} ms, init ${report.coldStart.initMs.toFixed(0)} ms`,
        );
      if (options.log)
        console.log(
          `REPORT ${report.function} RequestId: ${report.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms\tMemory Size: ${report.memoryMb} MB\tMax Memory Used: ${report.maxMemoryUsedMb} MB${report.error ? `\t${report.error}` : ''}`,
        );
      if (report.maxMemoryUsedMb > report.memoryMb)
        console.warn(
          `[local] ${report.function} used ${report.maxMemoryUsedMb} MB of its ${report.memoryMb} MB: Lambda would stop it (Runtime.OutOfMemory)`,
        );
    },
  });
  const watchers: SourceWatcher[] = [];
  let stopped = false;
  return {
    invoker,
    proxy,
    environmentOf,
    policyOf,
    hotReload: (onReload, dirs = [join(projectRoot, 'functions'), join(projectRoot, 'lib')]) => {
      const watcher = startHotReload({ dirs, bundles, invoker, onReload });
      watchers.push(watcher);
      return watcher;
    },
    prebuildBundles: async () => {
      const started = performance.now();
      const rebuilt: string[] = [];
      const fresh: string[] = [];
      const failed: { name: string; message: string }[] = [];
      const ordered = [...wiring.functions].sort((a, b) => prebuildOrder(a) - prebuildOrder(b));
      for (const fn of ordered) {
        if (stopped) break;
        try {
          ((await bundles.bundleFor(fn)).rebuilt ? rebuilt : fresh).push(fn.name);
        } catch (error) {
          failed.push({ name: fn.name, message: (error as Error).message });
        }
      }
      return { rebuilt, fresh, failed, ms: performance.now() - started };
    },
    stop: async () => {
      stopped = true;
      for (const watcher of watchers.splice(0)) watcher.close();
      await invoker.stop();
      await proxy.stop();
    },
  };
};
