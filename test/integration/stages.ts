import { basename } from 'node:path';
import { stagePattern } from '../../local/resource-names';

/** What the global setup of an integration project tells each test file. */
export interface IntegrationFile {
  /** The stage of the file's own local stack: its tables, queues and bucket. */
  readonly stage: string;
  /** The file's place among the project's files: its block of phone numbers (uniquePhone). */
  readonly index: number;
}

/**
 * The stage a test file's stack uses: `it-<file name>` (`scoring.test.ts` -> `it-scoring`), so its
 * tables read `rekindle-it-scoring-profiles` and no other file sees them; or the project's shared
 * stage, for files that build on each other's data (the CDNOW files: one import of the master file).
 */
export const integrationStage = (file: string, sharedStage?: string): string => {
  const stage =
    sharedStage ??
    `it-${basename(file)
      .replace(/\.test\.[cm]?[jt]s$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')}`;
  if (!stagePattern.test(stage)) throw new Error(`${file}: "${stage}" is not a valid stage; rename the file`);
  return stage;
};

/** Every file of a project with its stage and index (files sorted, so indexes do not depend on order). */
export const integrationFiles = (
  files: readonly string[],
  sharedStage?: string,
): Record<string, IntegrationFile> =>
  Object.fromEntries(
    [...files].sort().map((file, index) => [file, { stage: integrationStage(file, sharedStage), index }]),
  );
