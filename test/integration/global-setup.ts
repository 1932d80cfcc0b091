import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmulators } from '../../local/emulators/start-emulators';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { createLocalWiring } from '../../local/wiring';
import { integrationFiles } from './stages';

// The stacks' first-deployment win-back is created paused: active, its weekly firing (Wednesday
// 10:00 London) would mail the test profiles of whatever files run at that moment.
process.env['WIN_BACK_ON_FIRST_DEPLOYMENT'] ??= 'paused';

/**
 * The emulators of one integration project (DynamoDB Local, SES, fauxqs with its S3 bridge, the SMS
 * endpoint), shared by its test files. Each file starts a local stack of its own on them
 * (file-stack.ts), in a stage of its own: its own tables, queues and bucket, so files run in
 * parallel and none sees another's data. The S3 bridge learns every stage's notifications here.
 * A project whose files share a stage (`sharedStage`) gets one stack for all of them, started here:
 * one set of SQS pollers on its queues, and no file's end waits for work another file started.
 */
export default async function setup(project: TestProject) {
  const { testFiles } = await project.globTestFiles();
  const files = integrationFiles(testFiles, project.getProvidedContext().sharedStage);
  const stages = [...new Set(Object.values(files).map((f) => f.stage))];
  const region = createLocalWiring().region;
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-it-'));
  const emulators = await startEmulators({
    persist: false,
    dataDir,
    region,
    s3Notifications: stages.flatMap((stage) => createLocalWiring({ stage }).s3Notifications),
  });
  project.provide('emulators', emulators.endpoints);
  project.provide('integrationFiles', files);
  const sharedStage = project.getProvidedContext().sharedStage;
  let shared: LocalStack | undefined;
  if (sharedStage) {
    shared = await startLocalStack({
      emulators: emulators.endpoints,
      stage: sharedStage,
      apiPort: 0,
      schedules: false,
      pollWaitSeconds: 1,
      dataDir,
    }).catch(async (error: unknown) => {
      await emulators.stop();
      throw error;
    });
    project.provide('sharedStack', shared.endpoints);
  }
  return async () => {
    await shared?.stop();
    await emulators.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
