import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleFileName, entryPathOf, esbuildOptionsFor } from './bundling';
import { type FunctionSpec, functions } from './definition';

export interface BuiltBundle {
  readonly name: string;
  /** The bundle NodejsFunction would deploy (`index.mjs`). */
  readonly outfile: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
}

/**
 * Bundles every function of the definition (or the given ones) with the local esbuild and the very
 * options the stack hands NodejsFunction, one bundle per function under `outdir/<name>/`.
 */
export const bundleFunctions = async (
  outdir: string,
  specs: readonly FunctionSpec[] = functions,
): Promise<BuiltBundle[]> =>
  Promise.all(
    specs.map(async (fn) => {
      const dir = join(outdir, fn.name);
      await mkdir(dir, { recursive: true });
      const outfile = join(dir, bundleFileName);
      const result = await build(esbuildOptionsFor(entryPathOf(fn), outfile));
      if (result.errors.length > 0)
        throw new Error(`${fn.name}: ${result.errors.map((e) => e.text).join('; ')}`);
      const [code, map] = await Promise.all([stat(outfile), stat(`${outfile}.map`)]);
      return { name: fn.name, outfile, bytes: code.size, sourceMapBytes: map.size };
    }),
  );
