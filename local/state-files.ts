import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Files the runner writes under its data directory (`.local/`). */
export const stateFiles = (dataDir: string) => ({
  endpoints: join(dataDir, 'endpoints.json'),
  emulators: join(dataDir, 'emulators.json'),
  unsubscribeSecret: join(dataDir, 'unsubscribe-secret'),
});

export const writeJson = (file: string, value: unknown): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
};

export const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

/** A random secret, kept in `file` (and reused) when given. */
export const secretIn = (file: string | undefined): string => {
  if (file !== undefined) {
    try {
      const existing = readFileSync(file, 'utf8').trim();
      if (existing !== '') return existing;
    } catch {
      // first start
    }
  }
  const secret = randomBytes(32).toString('base64url');
  if (file !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  }
  return secret;
};
