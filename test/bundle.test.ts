/**
 * Really bundles every function of the definition with the local esbuild and the options the stack
 * gives NodejsFunction (lib/bundling.ts), prints the size of each bundle, and starts each bundle cold
 * in a fresh Node process with only the environment the synthesized template gives that function
 * (plus what Lambda itself sets): a function that needs a variable its grants do not set fails here,
 * not at its first invocation in AWS.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuiltBundle, bundleFunctions } from '../lib/bundle-functions';
import { esmRequireBanner } from '../lib/bundling';
import { functions } from '../lib/definition';
import { type CfnTemplate, functionEnvironmentsFromTemplate } from '../lib/template-wiring';
import { testApp } from '../lib/test-support';

const run = promisify(execFile);

/** A bundle above this is a mistake (a dependency pulled in whole), far from Lambda's 250 MB limit. */
const maxBundleBytes = 5 * 1024 * 1024;

const outdir = await mkdtemp(join(tmpdir(), 'rekindle-bundle-test-'));
afterAll(() => rm(outdir, { recursive: true, force: true }));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** What the Lambda runtime itself puts in every function's environment (besides the template's). */
const lambdaRuntimeEnv = (functionName: string): Record<string, string> => ({
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIACOLDSTARTTEST',
  AWS_SECRET_ACCESS_KEY: 'cold-start-test',
  AWS_SESSION_TOKEN: 'cold-start-test',
  AWS_LAMBDA_FUNCTION_NAME: functionName,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  LAMBDA_TASK_ROOT: '/var/task',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
});

/**
 * Loads the bundle as the Node.js runtime does at cold start (import, then look up `handler`) in a
 * process whose environment is exactly `env`. Resolves with what the process printed.
 */
const coldStart = async (bundle: BuiltBundle, env: Record<string, string>) => {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle.outfile).href)});
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }
console.log('cold start ok');`;
  return run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 30_000 });
};

let bundles: BuiltBundle[] = [];

describe('the bundles CDK uploads', () => {
  // 44 functions, each its own esbuild build of the whole graph: 118 s in a loaded full run, 120 s
  // was too tight (one esbuild call with every entry point would share the parsing; not yet).
  it('bundle every function as ESM for Node 22, each under 5 MB', { timeout: 300_000 }, async () => {
    bundles = await bundleFunctions(outdir);

    console.log(
      [
        `${'function'.padEnd(24)}${'bundle'.padStart(14)}${'source map'.padStart(14)}`,
        ...[...bundles]
          .sort((a, b) => b.bytes - a.bytes)
          .map(
            (b) => `${b.name.padEnd(24)}${kib(b.bytes).padStart(14)}${kib(b.sourceMapBytes).padStart(14)}`,
          ),
      ].join('\n'),
    );

    expect(bundles.map((b) => b.name).sort()).toEqual(functions.map((f) => f.name).sort());
    for (const bundle of bundles) {
      expect(existsSync(bundle.outfile), bundle.name).toBe(true);
      expect(bundle.bytes, bundle.name).toBeGreaterThan(0);
      expect(bundle.bytes, bundle.name).toBeLessThan(maxBundleBytes);
      const code = await readFile(bundle.outfile, 'utf8');
      expect(code.startsWith(esmRequireBanner), `${bundle.name} starts with the createRequire banner`).toBe(
        true,
      );
      expect(code, `${bundle.name} exports its handler`).toMatch(
        /export\s*\{[^}]*\bas handler\b|export\s*\{[^}]*\bhandler\b/,
      );
    }
  });

  it('each start cold with only the environment the template gives it', { timeout: 180_000 }, async () => {
    expect(bundles.length, 'the bundling test ran first').toBe(functions.length);
    const { template, settings } = testApp();
    const environments = functionEnvironmentsFromTemplate(template.toJSON() as CfnTemplate);
    expect([...environments.keys()].sort()).toEqual(functions.map((f) => f.name).sort());
    const failures: string[] = [];
    for (const bundle of bundles) {
      const env = {
        ...environments.get(bundle.name),
        ...lambdaRuntimeEnv(`rekindle-${settings.stage}-${bundle.name}`),
      };
      try {
        const { stdout } = await coldStart(bundle, env);
        if (!stdout.includes('cold start ok')) failures.push(`${bundle.name}: ${stdout}`);
      } catch (error) {
        const { stderr } = error as { stderr?: string };
        const lines = (stderr ?? String(error)).split('\n');
        const reason =
          lines.find((l) => /^\w*Error\b/.test(l.trim())) ?? lines.find((l) => /error/i.test(l)) ?? stderr;
        failures.push(`${bundle.name}: ${reason}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
