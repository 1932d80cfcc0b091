import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/local-stack';

/** One real local stack (emulators, HTTP API, S3 bridge, SQS pollers) for the integration tests. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-it-'));
  const stack = await startLocalStack({ apiPort: 0, schedules: false, pollWaitSeconds: 1, dataDir });
  project.provide('endpoints', stack.endpoints as never);
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
