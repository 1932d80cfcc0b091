/**
 * Really bundles every function of the definition with the local esbuild and the options the stack
 * gives NodejsFunction (lib/bundling.ts), and prints the size of each bundle.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bundleFunctions } from '../lib/bundle-functions';
import { esmRequireBanner } from '../lib/bundling';
import { functions } from '../lib/definition';

/** A bundle above this is a mistake (a dependency pulled in whole), far from Lambda's 250 MB limit. */
const maxBundleBytes = 5 * 1024 * 1024;

const outdir = await mkdtemp(join(tmpdir(), 'rekindle-bundle-test-'));
afterAll(() => rm(outdir, { recursive: true, force: true }));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

it('bundles every function as ESM for Node 22, each under 5 MB', { timeout: 120_000 }, async () => {
  const bundles = await bundleFunctions(outdir);

  console.log(
    [
      `${'function'.padEnd(24)}${'bundle'.padStart(14)}${'source map'.padStart(14)}`,
      ...[...bundles]
        .sort((a, b) => b.bytes - a.bytes)
        .map((b) => `${b.name.padEnd(24)}${kib(b.bytes).padStart(14)}${kib(b.sourceMapBytes).padStart(14)}`),
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
