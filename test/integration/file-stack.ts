import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject } from 'vitest';
import { startLocalStack } from '../../local/local-stack';
import { useStack } from './support';

/**
 * Setup file of the integration projects: this test file's own local stack (HTTP API, Lambda API,
 * access proxy, function containers, SQS pollers) in its own stage, on the project's shared
 * emulators, started before the file is collected and stopped after its last test. Its functions'
 * logs go to a directory of its own. Files of a project with a shared stage use the project's stack.
 */
// The stacks' first-deployment win-back is created paused: active, its weekly firing (Wednesday
// 10:00 London) would mail the test profiles of whatever files run at that moment.
process.env['WIN_BACK_ON_FIRST_DEPLOYMENT'] ??= 'paused';
const file = expect.getState().testPath ?? '';
const entry = inject('integrationFiles')[file];
if (!entry) throw new Error(`${file} is not among the files the integration project's global setup saw`);
const shared = inject('sharedStack');
if (shared) {
  // The project's one stack for its shared stage (global-setup.ts).
  useStack(shared, entry.index);
} else {
  const dataDir = mkdtempSync(join(tmpdir(), `rekindle-${entry.stage}-`));
  const stack = await startLocalStack({
    emulators: inject('emulators'),
    stage: entry.stage,
    apiPort: 0,
    schedules: false,
    pollWaitSeconds: 1,
    dataDir,
  });
  useStack(stack.endpoints, entry.index);
  afterAll(async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}
