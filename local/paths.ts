import { fileURLToPath } from 'node:url';

/** The repository root. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where the local runner keeps its state (`.local/` in the repository root, git-ignored). */
export const localDir = fileURLToPath(new URL('../.local', import.meta.url));
