import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionSpec, QueueName, TableName, TopicName } from '../lib/definition';
import { resolveSettings } from '../lib/settings';
import { runDeploymentHooks } from './deployment/deployment-hooks';
import { freePort } from './emulators/free-port';
import { type EmulatorEndpoints, type RunningEmulators, startEmulators } from './emulators/start-emulators';
import type { FunctionInvoker } from './function-invoker';
import { type HttpApi, startHttpApi } from './http/http-api';
import { localDir, projectRoot } from './paths';
import { provision } from './provision';
import { startLambdaApi } from './runtime/lambda-api';
import type { InvocationReport } from './runtime/lambda-invoker';
import { type LocalFunctions, startLocalFunctions } from './runtime/local-functions';
import { type LocalScheduler, startScheduler } from './schedule/scheduler';
import { startSchedulerApi } from './schedule/scheduler-api';
import { type SqsPoller, startSqsPoller } from './sqs/sqs-poller';
import { secretIn, stateFiles } from './state-files';
import { createLocalWiring, type LocalBinding, type LocalWiring } from './wiring';

/** What `.local/endpoints.json` holds. */
export interface LocalEndpoints {
  readonly apiUrl: string;
  /** The bootstrap API key (read, write, admin); empty when keys could not be created. */
  readonly apiKey: string;
  readonly sesUrl: string;
  readonly s3Endpoint: string;
  readonly smsUrl: string;
  /** The local EventBridge Scheduler API (campaign schedules), unchecked: for tests and tools. */
  readonly schedulerUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly snsEndpoint: string;
  /** Lambda's Invoke API for the stack's functions (`npm run invoke`). */
  readonly lambdaEndpoint: string;
  /** Where functions' AWS calls go: the proxy that checks them against their grants. */
  readonly accessProxy: string;
  /** Each function's log lines, one file per function (`<function>.log`). */
  readonly logsDir: string;
  readonly region: string;
  readonly bucket: string;
  readonly queues: Readonly<Record<string, string>>;
  readonly topics: Readonly<Record<TopicName, string>>;
  readonly tables: Readonly<Record<TableName, string>>;
}

export interface LocalStackOptions {
  /** Port of the HTTP API; 0 or absent: a free port. */
  readonly apiPort?: number;
  /** Keep data on disk under `dataDir` (when this call starts the emulators). */
  readonly persist?: boolean;
  /** Default `.local/`. */
  readonly dataDir?: string;
  /** Emulators already running (`npm run emulators`); absent: start them in this process. */
  readonly emulators?: EmulatorEndpoints;
  /**
   * Send the deployment hooks their Create request before the stack is ready (default true), as
   * CloudFormation does on the first deployment; each hook is idempotent, so every start may.
   */
  readonly deploymentHooks?: boolean;
  /** Run the schedules (default true). */
  readonly schedules?: boolean;
  /** Create a bootstrap API key (default true). */
  readonly bootstrapKey?: boolean;
  /** Log requests, deliveries and firings (default false). */
  readonly log?: boolean;
  /** Tests: fixture functions, and the entry points of their handlers by name. */
  readonly functions?: readonly FunctionSpec[];
  readonly entries?: Readonly<Record<string, string>>;
  /** Stage of the resource names (default `local`); tests give each file a stage of its own. */
  readonly stage?: string;
  /** Where function bundles are cached (default `.local/bundles` in the repository). */
  readonly bundleCacheDir?: string;
  /** Every invocation's report (duration, memory, cold start). */
  readonly onReport?: (report: InvocationReport) => void;
  /** Long-poll wait of the SQS pollers (default 20 s). */
  readonly pollWaitSeconds?: number;
}

export interface LocalStack {
  readonly endpoints: LocalEndpoints;
  readonly emulators: EmulatorEndpoints;
  readonly wiring: LocalWiring;
  /** Runs a function once as its triggers do: from its bundle, in a container of its own. */
  readonly invoker: FunctionInvoker;
  /** The functions' environments, credentials, policies and the access proxy. */
  readonly functions: LocalFunctions;
  bindings(): LocalBinding[];
  stop(): Promise<void>;
}

type CreateApiKey = (input: {
  tableName: string;
  name: string;
  scopes: ('read' | 'write' | 'admin')[];
  client?: DynamoDBDocumentClient;
}) => Promise<{ key: string; keyId: string }>;

const createBootstrapKey = async (
  tableName: string,
  dynamodbEndpoint: string,
  region: string,
): Promise<string> => {
  const modulePath = pathToFileURL(resolve(projectRoot, 'functions/auth/create-api-key.ts')).href;
  let createApiKey: CreateApiKey;
  try {
    createApiKey = ((await import(modulePath)) as { createApiKey: CreateApiKey }).createApiKey;
  } catch (error) {
    console.warn(
      `[local] no bootstrap API key: cannot load functions/auth/create-api-key.ts (${(error as Error).message})`,
    );
    return '';
  }
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamodbEndpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    const { key } = await createApiKey({
      tableName,
      name: 'local-bootstrap',
      scopes: ['read', 'write', 'admin'],
      client,
    });
    return key;
  } finally {
    client.destroy();
  }
};

/**
 * Starts (or reuses) the emulators, provisions every resource, sets the functions' environment,
 * creates a bootstrap API key and starts the HTTP API, the SQS pollers and the scheduler.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const dataDir = resolve(options.dataDir ?? localDir);
  const files = stateFiles(dataDir);
  const wiring = createLocalWiring({
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.stage ? { stage: options.stage } : {}),
  });
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) {
      await Promise.resolve()
        .then(s)
        .catch((error: unknown) => console.warn(`[local] stop failed: ${(error as Error).message}`));
    }
    stops.length = 0;
  };
  try {
    let emulators: EmulatorEndpoints;
    if (options.emulators) {
      emulators = options.emulators;
      const served = new Set(emulators.s3Notifications.map((r) => `${r.bucket}/${r.prefix}->${r.queueName}`));
      const missing = wiring.s3Notifications.filter(
        (r) => !served.has(`${r.bucket}/${r.prefix}->${r.queueName}`),
      );
      if (missing.length > 0) {
        console.warn(
          `[local] the running emulators do not deliver S3 notifications for ${missing.map((r) => r.prefix).join(', ')}`,
        );
      }
    } else {
      const running: RunningEmulators = await startEmulators({
        persist: options.persist ?? false,
        dataDir,
        region: wiring.region,
        s3Notifications: wiring.s3Notifications,
      });
      stops.push(running.stop);
      emulators = running.endpoints;
    }
    const provisioned = await provision(wiring.names, {
      dynamodb: emulators.dynamodb,
      fauxqs: emulators.fauxqs,
      region: wiring.region,
    });

    const sqs = new SQSClient({
      endpoint: emulators.sqs,
      region: wiring.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    stops.push(() => sqs.destroy());
    // EventBridge Scheduler's API for the schedules the campaign API creates; their firings go to
    // their SQS target as Scheduler sends them (the message body is the target's input).
    const queueByArn = new Map(
      Object.values(provisioned.queues).flatMap((q) => [
        [q.arn, q.url],
        [q.deadLetterArn, q.deadLetterUrl],
      ]),
    );
    const sendTo = async (arn: string, body: string) => {
      const queueUrl = queueByArn.get(arn);
      if (!queueUrl) throw new Error(`no local queue ${arn}`);
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    };
    const schedulerApi = await startSchedulerApi({
      region: wiring.region,
      accountId: wiring.accountId,
      deliver: ({ schedule, input }) => sendTo(schedule.Target.Arn, input),
      deadLetter: (firing, error) => {
        console.warn(
          `[scheduler] ${firing.schedule.Name}: not delivered after ${firing.attempt} attempts: ${String(error)}`,
        );
        const dlq = firing.schedule.Target.DeadLetterConfig?.Arn;
        if (dlq) sendTo(dlq, firing.input).catch(() => undefined);
      },
    });
    stops.push(schedulerApi.stop);

    const apiPort = options.apiPort || (await freePort());
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const functions = await startLocalFunctions({
      schedulerUrl: schedulerApi.url,
      wiring,
      emulators,
      provisioned,
      settings: { ...resolveSettings({ tryGetContext: () => undefined }), stage: wiring.stage },
      apiUrl,
      unsubscribeSecret: secretIn(options.persist || emulators.persist ? files.unsubscribeSecret : undefined),
      ...(options.bundleCacheDir ? { bundleCacheDir: options.bundleCacheDir } : {}),
      ...(options.entries ? { entries: options.entries } : {}),
      ...(options.onReport ? { onReport: options.onReport } : {}),
      log: options.log ?? false,
      logsDir: join(dataDir, 'logs'),
    });
    stops.push(functions.stop);
    const invoker = functions.invoker;
    const lambdaApi = await startLambdaApi(wiring.functions, invoker);
    stops.push(lambdaApi.stop);

    const http: HttpApi = await startHttpApi({
      router: wiring.router,
      invoker,
      port: apiPort,
      region: wiring.region,
      accountId: wiring.accountId,
      log: options.log ?? false,
    });
    stops.push(http.stop);

    const pollers: SqsPoller[] = wiring.pollers.map((spec) => {
      const queue = provisioned.queues[spec.queue as QueueName];
      if (!queue) throw new Error(`Queue ${spec.queue} is not provisioned`);
      return startSqsPoller({
        spec,
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: wiring.region,
        invoker,
        ...(options.pollWaitSeconds === undefined ? {} : { waitTimeSeconds: options.pollWaitSeconds }),
        log: options.log ?? false,
      });
    });
    stops.push(() => Promise.all(pollers.map((p) => p.stop())).then(() => undefined));

    if (options.schedules ?? true) {
      const scheduler: LocalScheduler = startScheduler({
        schedules: wiring.schedules,
        invoker,
        log: options.log ?? false,
      });
      stops.push(scheduler.stop);
    }

    const apiKey =
      (options.bootstrapKey ?? true)
        ? await createBootstrapKey(provisioned.tables.apiKeys, emulators.dynamodb, wiring.region)
        : '';

    if (options.deploymentHooks ?? true)
      await runDeploymentHooks({
        hooks: wiring.deploymentHooks,
        invoker,
        stage: wiring.stage,
        region: wiring.region,
        accountId: wiring.accountId,
      });

    const endpoints: LocalEndpoints = {
      apiUrl,
      apiKey,
      sesUrl: emulators.ses,
      s3Endpoint: emulators.s3,
      smsUrl: emulators.sms,
      schedulerUrl: schedulerApi.url,
      dynamodbEndpoint: emulators.dynamodb,
      sqsEndpoint: emulators.sqs,
      snsEndpoint: emulators.sns,
      lambdaEndpoint: lambdaApi.url,
      accessProxy: functions.proxy.url,
      logsDir: join(dataDir, 'logs'),
      region: wiring.region,
      bucket: provisioned.bucket,
      queues: Object.fromEntries(
        Object.entries(provisioned.queues).flatMap(([name, q]) => [
          [name, q.url],
          [`${name}-dlq`, q.deadLetterUrl],
        ]),
      ),
      topics: provisioned.topics,
      tables: provisioned.tables,
    };
    return { endpoints, emulators, wiring, invoker, functions, bindings: wiring.bindings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
