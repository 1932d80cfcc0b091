import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type BuiltBundle, bundleFunctions } from '../lib/bundle-functions';
import { bundleFileName, esbuildOptionsFor } from '../lib/bundling';
import { type FunctionSpec, functions } from '../lib/definition';
import { type CfnTemplate, functionEnvironmentsFromTemplate } from '../lib/template-wiring';
import { testApp } from '../lib/test-support';
import { defaultMemoryMb, defaultTimeoutSeconds } from '../local/lambda-context';
import { FunctionContainer } from '../local/runtime/function-container';
import { lambdaRuntimeEnvironment } from '../local/runtime/lambda-runtime-env';

/** Median and spread of a function's cold starts, in milliseconds. */
export interface ColdStart {
  /** Loading the bundle until the handler is there (what Lambda reports as Init Duration). */
  readonly initMs: number;
  /** From starting the container's process until it is ready: Node's own start plus init. */
  readonly readyMs: number;
  readonly initSamplesMs: readonly number[];
  readonly readySamplesMs: readonly number[];
}

export interface BundleMeasurement {
  readonly name: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
  readonly coldStart: ColdStart;
  /** readyMs over the empty handler's readyMs. */
  readonly readyRatioToFloor: number;
}

export interface BundleBench {
  readonly starts: number;
  /** An empty handler bundled the same way, started the same way: the floor of any cold start. */
  readonly floor: { readonly bytes: number; readonly coldStart: ColdStart };
  /** Largest bundle first. */
  readonly functions: readonly BundleMeasurement[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Starts `bundle` once in a fresh container, as the local runner starts a function
 * (local/runtime/function-container.ts: a Node process with exactly `env`, the memory as heap
 * limit), and stops it as soon as it is ready: its init and ready times in milliseconds.
 */
const coldStart = async (
  target: StartTarget,
): Promise<{ readonly initMs: number; readonly readyMs: number }> => {
  const output: string[] = [];
  const started = performance.now();
  const container = new FunctionContainer({
    bundle: target.bundle,
    env: target.env,
    memoryMb: target.memoryMb,
    timeoutSeconds: defaultTimeoutSeconds,
    onLog: (line) => output.push(line),
  });
  try {
    const initMs = await container.initMs;
    return { initMs, readyMs: performance.now() - started };
  } catch (error) {
    throw new Error(`${target.name} did not start: ${(error as Error).message}\n${output.join('\n')}`);
  } finally {
    container.kill();
  }
};

interface StartTarget {
  readonly name: string;
  readonly bundle: string;
  readonly env: Readonly<Record<string, string>>;
  readonly memoryMb: number;
}

/**
 * `starts` cold starts of every target, in rounds (each round starts every target once, one after
 * another), so that whatever else the machine does at some moment weighs on all of them alike.
 */
const coldStartsInRounds = async (
  targets: readonly StartTarget[],
  starts: number,
): Promise<Map<string, ColdStart>> => {
  const samples = new Map(targets.map((t) => [t.name, { init: [] as number[], ready: [] as number[] }]));
  for (let round = 0; round < starts; round++) {
    for (const target of targets) {
      const { initMs, readyMs } = await coldStart(target);
      samples.get(target.name)!.init.push(initMs);
      samples.get(target.name)!.ready.push(readyMs);
    }
  }
  return new Map(
    [...samples].map(([name, { init, ready }]) => [
      name,
      { initMs: median(init), readyMs: median(ready), initSamplesMs: init, readySamplesMs: ready },
    ]),
  );
};

/** What Lambda itself puts in every environment, for a function of this stage. */
const runtimeEnv = (functionName: string, memoryMb: number) =>
  lambdaRuntimeEnvironment({
    functionName,
    region: 'us-east-1',
    memoryMb,
    accessKeyId: 'ASIABENCHCOLDSTART',
    secretAccessKey: 'bench',
    sessionToken: 'bench',
  });

const buildFloor = async (outdir: string): Promise<string> => {
  const dir = join(outdir, '_empty');
  await mkdir(dir, { recursive: true });
  const entry = join(dir, 'empty-handler.ts');
  await writeFile(entry, 'export const handler = async () => undefined;\n');
  const outfile = join(dir, bundleFileName);
  await build(esbuildOptionsFor(entry, outfile));
  return outfile;
};

/**
 * Every function's deployed bundle, built exactly as the stack builds it (lib/bundling.ts): its size,
 * and its cold start in a container started from it with only the environment the synthesized
 * template gives the function plus Lambda's own variables, median of `starts` starts. The floor is an
 * empty handler bundled and started the same way (with the `NODE_OPTIONS` every function has).
 */
export const measureBundles = async (
  starts: number,
  specs: readonly FunctionSpec[] = functions,
): Promise<BundleBench> => {
  const outdir = await mkdtemp(join(tmpdir(), 'rekindle-bundles-'));
  try {
    const [bundles, floorBundle] = await Promise.all([bundleFunctions(outdir, specs), buildFloor(outdir)]);
    const { template, settings } = testApp();
    const environments = functionEnvironmentsFromTemplate(template.toJSON() as CfnTemplate);
    const functionName = (name: string) => `rekindle-${settings.stage}-${name}`;

    // The NODE_OPTIONS of a function without a heap limit of its own (source maps on).
    const plain = environments.get(specs.find((fn) => !fn.maxHeapMb)?.name ?? '') ?? {};
    const floorEnv = {
      ...(plain['NODE_OPTIONS'] ? { NODE_OPTIONS: plain['NODE_OPTIONS'] } : {}),
      ...runtimeEnv(functionName('empty'), defaultMemoryMb),
    };
    const floorTarget: StartTarget = {
      name: '(empty handler)',
      bundle: floorBundle,
      env: floorEnv,
      memoryMb: defaultMemoryMb,
    };
    const bySpec = new Map(specs.map((fn) => [fn.name, fn]));
    const sorted = [...bundles].sort((a: BuiltBundle, b: BuiltBundle) => b.bytes - a.bytes);
    const targets: StartTarget[] = sorted.map((bundle) => {
      const memoryMb = bySpec.get(bundle.name)?.memoryMb ?? defaultMemoryMb;
      const templateEnv = environments.get(bundle.name);
      if (!templateEnv) throw new Error(`${bundle.name} is not in the synthesized template`);
      const env = { ...templateEnv, ...runtimeEnv(functionName(bundle.name), memoryMb) };
      return { name: bundle.name, bundle: bundle.outfile, env, memoryMb };
    });
    // One start first, not counted: it brings Node and the bootstrap into the page cache, where every
    // later start (and a runner that has started one container) finds them.
    await coldStart(floorTarget);
    const measured = await coldStartsInRounds([floorTarget, ...targets], starts);
    const floor = measured.get(floorTarget.name)!;
    return {
      starts,
      floor: { bytes: (await stat(floorBundle)).size, coldStart: floor },
      functions: sorted.map((bundle) => {
        const coldStart = measured.get(bundle.name)!;
        return {
          name: bundle.name,
          bytes: bundle.bytes,
          sourceMapBytes: bundle.sourceMapBytes,
          coldStart,
          readyRatioToFloor: coldStart.readyMs / floor.readyMs,
        };
      }),
    };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;

/** The table `npm run bench -- --only bundles` prints. */
export const bundleTable = (bench: BundleBench): string => {
  const line = (name: string, bytes: number, map: string, c: ColdStart, ratio: string) =>
    `${name.padEnd(24)} ${kib(bytes).padStart(10)} ${map.padStart(10)} ${c.initMs.toFixed(0).padStart(8)} ${c.readyMs.toFixed(0).padStart(9)} ${ratio.padStart(8)}`;
  const total = bench.functions.reduce((s, b) => s + b.bytes, 0);
  return [
    `${'function'.padEnd(24)} ${'KiB'.padStart(10)} ${'map KiB'.padStart(10)} ${'init ms'.padStart(8)} ${'ready ms'.padStart(9)} ${'/ floor'.padStart(8)}`,
    ...bench.functions.map((b) =>
      line(b.name, b.bytes, kib(b.sourceMapBytes), b.coldStart, b.readyRatioToFloor.toFixed(2)),
    ),
    line('floor: empty handler', bench.floor.bytes, '', bench.floor.coldStart, '1.00'),
    `${'total'.padEnd(24)} ${kib(total).padStart(10)}`,
  ].join('\n');
};
