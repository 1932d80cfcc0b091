import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { bundleFileName, entryPathOf, esbuildOptionsFor } from '../../lib/bundling';
import type { FunctionSpec } from '../../lib/definition';
import { projectRoot } from '../paths';

/** What `<cacheDir>/<function>/current.json` records about the bundle in use. */
interface BundleRecord {
  /** Hash of the esbuild version and the options: new options, new bundle. */
  readonly optionsHash: string;
  readonly build: string;
  /** Every file esbuild read, with the size and modification time it had. */
  readonly inputs: Readonly<Record<string, readonly [number, number]>>;
}

export interface BuiltFunctionBundle {
  readonly outfile: string;
  /** False when the cached bundle was still fresh. */
  readonly rebuilt: boolean;
  readonly buildMs: number;
}

export interface BundleCache {
  /** The function's bundle, rebuilt first when any file it was built from changed. */
  bundleFor(fn: FunctionSpec): Promise<BuiltFunctionBundle>;
  /**
   * The functions whose bundle, as this cache last built or checked it, was built from any of
   * `paths` (absolute, or relative to the repository root). Functions not bundled yet are not named:
   * their first bundle is built from the files as they are then.
   */
  functionsUsing(paths: readonly string[]): string[];
  /** The next `bundleFor` of each named function builds anew, whatever the files' sizes and times say. */
  invalidate(names: readonly string[]): void;
}

const optionsHash = (entry: string): string =>
  createHash('sha256')
    .update(esbuildVersion)
    .update(JSON.stringify(esbuildOptionsFor(entry, bundleFileName)))
    .digest('hex')
    .slice(0, 16);

const fingerprint = async (path: string): Promise<readonly [number, number] | undefined> => {
  try {
    const s = await stat(path);
    return [s.size, s.mtimeMs];
  } catch {
    return undefined;
  }
};

/**
 * Fingerprints of the files a build read, taken after the build. A file whose modification time is
 * not older than the build's start may have changed while esbuild read it: it gets a fingerprint no
 * file has, so the next check rebuilds instead of trusting a bundle of the old text.
 */
const fingerprintInputs = async (
  paths: readonly string[],
  buildStartedAt: number,
): Promise<Record<string, readonly [number, number]>> => {
  const inputs: Record<string, readonly [number, number]> = {};
  for (const path of paths) {
    const print = await fingerprint(resolve(projectRoot, path));
    if (print) inputs[path] = print[1] >= buildStartedAt ? [-1, -1] : print;
  }
  return inputs;
};

const isFresh = async (record: BundleRecord, hash: string): Promise<boolean> => {
  if (record.optionsHash !== hash) return false;
  const checks = await Promise.all(
    Object.entries(record.inputs).map(async ([path, [size, mtime]]) => {
      const now = await fingerprint(resolve(projectRoot, path));
      return now !== undefined && now[0] === size && now[1] === mtime;
    }),
  );
  return checks.every(Boolean);
};

/**
 * Bundles functions with the very esbuild options CDK uses (`esbuildOptionsFor`), so the local runner
 * runs the artifact that would be uploaded, and keeps them under `cacheDir` between runs: a bundle is
 * rebuilt only when a file it was built from changed. Each build goes to a directory of its own and
 * `current.json` is replaced atomically, so a running container keeps its files and two processes
 * building at once both end with a complete bundle.
 */
export const createBundleCache = (
  cacheDir: string,
  /** Tests: another entry point for a fixture function (default `functions/handlers/<name>.ts`). */
  entryOverride: (fn: FunctionSpec) => string | undefined = () => undefined,
): BundleCache => {
  const entryOf = (fn: FunctionSpec) => entryOverride(fn) ?? entryPathOf(fn);
  const inFlight = new Map<string, Promise<BuiltFunctionBundle>>();
  /** Absolute paths of the files each function's bundle in use was built from. */
  const inputsOf = new Map<string, ReadonlySet<string>>();
  const forced = new Set<string>();
  const remember = (fn: FunctionSpec, record: BundleRecord) =>
    inputsOf.set(fn.name, new Set(Object.keys(record.inputs).map((path) => resolve(projectRoot, path))));

  const ensure = async (fn: FunctionSpec): Promise<BuiltFunctionBundle> => {
    const dir = join(cacheDir, fn.name);
    const recordPath = join(dir, 'current.json');
    const hash = optionsHash(entryOf(fn));
    const started = performance.now();
    if (!forced.delete(fn.name)) {
      try {
        const record = JSON.parse(await readFile(recordPath, 'utf8')) as BundleRecord;
        if (await isFresh(record, hash)) {
          remember(fn, record);
          return { outfile: join(dir, record.build, bundleFileName), rebuilt: false, buildMs: 0 };
        }
      } catch {
        // No bundle yet, or an unreadable record: build one.
      }
    }
    const buildId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const outfile = join(dir, buildId, bundleFileName);
    await mkdir(join(dir, buildId), { recursive: true });
    // Whole milliseconds, a little early: file systems keep coarser times than performance.now().
    const buildStartedAt = Date.now() - 2;
    const result = await build({ ...esbuildOptionsFor(entryOf(fn), outfile), metafile: true });
    if (result.errors.length > 0)
      throw new Error(`${fn.name}: ${result.errors.map((e) => e.text).join('; ')}`);
    const inputs = await fingerprintInputs(Object.keys(result.metafile?.inputs ?? {}), buildStartedAt);
    const record: BundleRecord = { optionsHash: hash, build: buildId, inputs };
    remember(fn, record);
    const temporary = `${recordPath}.${buildId}`;
    await writeFile(temporary, JSON.stringify(record));
    await rename(temporary, recordPath);
    await removeOldBuilds(dir, buildId);
    return { outfile, rebuilt: true, buildMs: performance.now() - started };
  };

  return {
    bundleFor: (fn) => {
      let pending = inFlight.get(fn.name);
      if (!pending) {
        const started = ensure(fn).finally(() => {
          if (inFlight.get(fn.name) === started) inFlight.delete(fn.name);
        });
        pending = started;
        inFlight.set(fn.name, pending);
      }
      return pending;
    },
    functionsUsing: (paths) => {
      const changed = paths.map((path) => resolve(projectRoot, path));
      return [...inputsOf]
        .filter(([, inputs]) => changed.some((path) => inputs.has(path)))
        .map(([name]) => name);
    },
    invalidate: (names) => {
      for (const name of names) {
        forced.add(name);
        // A build under way may have read the old text: the next caller starts another.
        inFlight.delete(name);
      }
    },
  };
};

/** Builds older than an hour go; a container started from one a moment ago still has its file. */
const removeOldBuilds = async (dir: string, keep: string): Promise<void> => {
  const hourAgo = Date.now() - 3600_000;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const path = join(dir, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < hourAgo) await rm(path, { recursive: true, force: true });
  }
};
