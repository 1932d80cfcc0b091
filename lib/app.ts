import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackNameOf } from './naming';
import { RekindleStack } from './rekindle-stack';
import { type ResolvedSettings, resolveSettings } from './settings';

/**
 * Feature flags the app is built with, here rather than in cdk.json so the CLI and the tests (which
 * build the App directly) synthesize the same template. cdk.json context still wins.
 */
export const featureFlags = {
  // Server access logs are delivered under a bucket policy (the log bucket disables ACLs).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export interface RekindleAppOptions extends AppProps {
  /** Environment variables settings fall back to (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface RekindleApp {
  readonly app: App;
  readonly stack: RekindleStack;
  readonly settings: ResolvedSettings;
}

/**
 * The Rekindle CDK app: one stack `Rekindle-<stage>` checked by cdk-nag's AwsSolutions pack as a
 * policy-validation plugin, so `synth` fails on any unacknowledged finding.
 */
export const createRekindleApp = (options: RekindleAppOptions = {}): RekindleApp => {
  const { env, ...appProps } = options;
  const app = new App({ ...appProps, context: { ...featureFlags, ...appProps.context } });
  const settings = resolveSettings(app.node, env ?? process.env);
  const stack = new RekindleStack(app, stackNameOf(settings.stage), {
    settings,
    description: `Rekindle (${settings.stage}): serverless database-marketing backend`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, settings };
};
