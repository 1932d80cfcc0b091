import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** The files that import the CDNOW master file (69,659 rows): they share one stage and one import. */
const cdnowFiles = ['test/integration/cdnow-import.test.ts', 'test/integration/scoring.test.ts'];

/**
 * An integration project: its own emulators (global-setup.ts), and a local stack per test file in a
 * stage of its own (file-stack.ts), so its files run in parallel on isolated tables, queues and bucket.
 */
const integration = (
  name: string,
  files: { include: string[]; exclude?: string[] },
  sharedStage?: string,
): TestProjectInlineConfiguration => ({
  extends: true,
  test: {
    name,
    include: files.include,
    exclude: ['node_modules/**', ...(files.exclude ?? [])],
    globalSetup: ['test/integration/global-setup.ts'],
    setupFiles: ['test/integration/file-stack.ts'],
    ...(sharedStage ? { provide: { sharedStage } } : {}),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

export default defineConfig({
  test: {
    // Files of every project run side by side: integration files mostly wait on their functions'
    // containers and the emulators (other processes), so more of them than cores keeps both cores busy.
    maxWorkers: 4,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{functions,lib,local,bin,test}/**/*.test.ts'],
          exclude: ['test/integration/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      integration('integration', { include: ['test/integration/**/*.test.ts'], exclude: cdnowFiles }),
      // Their own project, emulators and stage: the CDNOW files import the master file once between
      // them, and their DynamoDB work (23,570 profiles scored twice) has a DynamoDB Local of its own.
      integration('cdnow', { include: cdnowFiles }, 'cdnow'),
    ],
  },
});
