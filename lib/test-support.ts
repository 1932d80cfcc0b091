import { Template } from 'aws-cdk-lib/assertions';
import { createRekindleApp, type RekindleApp } from './app';

/** Context that skips bundling (tests read templates, not code). */
export const noBundling = { 'aws:cdk:bundling-stacks': [] as string[] };

/**
 * The app as the CLI builds it, without bundling, with settings from `context` and `env` only (not
 * from the environment of the test process).
 */
export const buildTestApp = (
  context: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
): RekindleApp => createRekindleApp({ context: { ...noBundling, ...context }, env });

/** `buildTestApp` and its stack's template (synthesized once: the tree cannot change afterwards). */
export const testApp = (
  context: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
): RekindleApp & { template: Template } => {
  const built = buildTestApp(context, env);
  return { ...built, template: Template.fromStack(built.stack) };
};
