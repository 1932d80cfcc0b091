import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where the local runner keeps its state: `.local/` in the repository root (git-ignored), or the
 * directory in REKINDLE_LOCAL_DIR.
 */
export const localDir = resolve(
  process.env['REKINDLE_LOCAL_DIR'] || fileURLToPath(new URL('../.local', import.meta.url)),
);
