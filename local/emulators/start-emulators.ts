import { join, resolve } from 'node:path';
import { localDir } from '../paths';
import { type S3Bridge, type S3NotificationRule, startS3Bridge } from '../s3-bridge';
import { startDynamoDbLocal } from './dynamodb-local';
import { startFauxqsLocal } from './fauxqs-local';
import { startSesLocal } from './ses-local';
import { startSmsEndpoint } from './sms-endpoint';

/** Where each emulator answers (also what `.local/emulators.json` holds). */
export interface EmulatorEndpoints {
  readonly region: string;
  readonly dynamodb: string;
  /** SES v2 API and web inbox. */
  readonly ses: string;
  /** fauxqs itself: S3 (path-style), SQS, SNS topics. */
  readonly fauxqs: string;
  readonly s3: string;
  readonly sqs: string;
  /** The SNS endpoint for functions: SMS served locally, everything else forwarded to fauxqs. */
  readonly sns: string;
  /** The SMS page (`/`), `/messages`, `/clear`, `/opt-out`: same server as `sns`. */
  readonly sms: string;
  /** Bucket notifications the emulators' S3 bridge delivers. */
  readonly s3Notifications: readonly S3NotificationRule[];
  readonly persist: boolean;
  /** Id of the process running the emulators. */
  readonly pid: number;
}

export interface StartEmulatorsOptions {
  /** Keep DynamoDB, fauxqs and SMS state on disk under `dataDir` (default false: in memory). */
  readonly persist?: boolean;
  /** Default `.local/` of the repository. */
  readonly dataDir?: string;
  readonly region?: string;
  /** Bucket notifications to deliver (S3 -> SQS); fauxqs has none of its own. */
  readonly s3Notifications?: readonly S3NotificationRule[];
}

export interface RunningEmulators {
  readonly endpoints: EmulatorEndpoints;
  readonly bridge: S3Bridge;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local, SES, fauxqs, the SMS endpoint and the S3 bridge, each on a free port. */
export const startEmulators = async (options: StartEmulatorsOptions = {}): Promise<RunningEmulators> => {
  const persist = options.persist ?? false;
  const dataDir = resolve(options.dataDir ?? localDir);
  const region = options.region ?? 'us-east-1';
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) =>
        console.warn(`[emulators] stop failed: ${(error as Error).message}`),
      );
    }
    stops.length = 0;
  };
  try {
    const [dynamodb, ses, fauxqs] = await Promise.all([
      startDynamoDbLocal({
        pidDir: join(dataDir, 'pids'),
        ...(persist ? { dataDir: join(dataDir, 'dynamodb') } : {}),
      }).then((d) => {
        stops.push(d.stop);
        return d;
      }),
      startSesLocal().then((s) => {
        stops.push(s.stop);
        return s;
      }),
      startFauxqsLocal(persist ? { dataDir: join(dataDir, 'fauxqs') } : {}).then((f) => {
        stops.push(f.stop);
        return f;
      }),
    ]);
    const sms = await startSmsEndpoint({
      upstream: fauxqs.url,
      ...(persist ? { stateFile: join(dataDir, 'sms.json') } : {}),
    });
    stops.push(sms.stop);
    const bridge = startS3Bridge({
      spy: fauxqs.server.spy,
      endpoint: fauxqs.url,
      region,
      rules: options.s3Notifications ?? [],
    });
    stops.push(bridge.stop);
    return {
      endpoints: {
        region,
        dynamodb: dynamodb.url,
        ses: ses.url,
        fauxqs: fauxqs.url,
        s3: fauxqs.url,
        sqs: fauxqs.url,
        sns: sms.url,
        sms: sms.url,
        s3Notifications: bridge.rules,
        persist,
        pid: process.pid,
      },
      bridge,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
