import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFunctions } from '../lib/bundle-functions';

/**
 * Size in bytes of every function's deployed bundle, built exactly as the stack builds it
 * (lib/bundling.ts), largest first.
 */
export const measureBundleSizes = async (): Promise<{ name: string; bytes: number }[]> => {
  const outdir = await mkdtemp(join(tmpdir(), 'rekindle-bundles-'));
  try {
    const bundles = await bundleFunctions(outdir);
    return bundles.map(({ name, bytes }) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
};
