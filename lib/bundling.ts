import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { entryOf, type FunctionSpec } from './definition';

/** The repository root: entry points in the definition are relative to it. */
export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** Absolute path of a function's entry point. */
export const entryPathOf = (fn: FunctionSpec): string =>
  fileURLToPath(new URL(`../${entryOf(fn)}`, import.meta.url));

/**
 * ESM bundles still meet CommonJS dependencies that call `require` (for Node built-ins): give them one.
 * The alias keeps the banner from clashing with a bundled `createRequire` import.
 */
export const esmRequireBanner =
  "import { createRequire as __rekindleCreateRequire } from 'node:module';const require = __rekindleCreateRequire(import.meta.url);";

/**
 * The one description of how every function is bundled: the stack hands it to NodejsFunction (which
 * runs the local esbuild, no Docker) and `esbuildOptionsFor` turns the same values into esbuild's
 * own options for the bundle test and the bundle-size bench.
 *
 * The AWS SDK is bundled rather than taken from the runtime so that the deployed code runs exactly
 * the SDK versions pinned in package.json (the ones the tests and the local runner use).
 */
export const bundlingOptions: BundlingOptions & {
  readonly format: OutputFormat;
  readonly target: string;
  readonly mainFields: string[];
  readonly minify: boolean;
  readonly sourceMap: boolean;
  readonly sourcesContent: boolean;
  readonly banner: string;
  readonly externalModules: string[];
} = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  banner: esmRequireBanner,
  bundleAwsSDK: true,
  externalModules: [],
};

/** esbuild options equivalent to what NodejsFunction runs for `bundlingOptions`. */
export const esbuildOptionsFor = (entryPoint: string, outfile: string): BuildOptions => ({
  entryPoints: [entryPoint],
  outfile,
  bundle: true,
  platform: 'node',
  format: bundlingOptions.format === OutputFormat.ESM ? 'esm' : 'cjs',
  target: bundlingOptions.target,
  mainFields: [...bundlingOptions.mainFields],
  minify: bundlingOptions.minify,
  sourcemap: bundlingOptions.sourceMap,
  sourcesContent: bundlingOptions.sourcesContent,
  banner: { js: bundlingOptions.banner },
  external: [...bundlingOptions.externalModules],
  absWorkingDir: projectRoot,
  logLevel: 'warning',
});

/** NodejsFunction writes ESM bundles as `index.mjs`. */
export const bundleFileName = bundlingOptions.format === OutputFormat.ESM ? 'index.mjs' : 'index.js';
