import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../lib/definition';
import { createBundleCache } from '../runtime/bundle-cache';
import { type Reload, reloadChanged, reloadLine, startHotReload } from '../runtime/hot-reload';
import { createLambdaInvoker, type InvocationReport, type LambdaInvoker } from '../runtime/lambda-invoker';
import type { SourceWatcher } from './source-watcher';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../test-fixtures/handlers/${name}.ts`, import.meta.url));

const reloadable: FunctionSpec = {
  name: 'reloadable',
  description: 'reloadable',
  access: {},
  triggers: [{ kind: 'http', method: 'GET', path: '/reloadable', auth: 'public' }],
};

let dir: string;
let sources: string;
let invoker: LambdaInvoker;
let watcher: SourceWatcher;
let bundles: ReturnType<typeof createBundleCache>;
const reports: InvocationReport[] = [];
const reloads: Reload[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rekindle-hot-reload-'));
  // A copy of the fixture function, so the test edits its own files and nobody else's.
  sources = join(dir, 'src');
  mkdirSync(sources);
  copyFileSync(fixture('reloadable'), join(sources, 'reloadable.ts'));
  copyFileSync(fixture('reloadable-message'), join(sources, 'reloadable-message.ts'));
  bundles = createBundleCache(join(dir, 'bundles'), () => join(sources, 'reloadable.ts'));
  invoker = createLambdaInvoker({
    region: 'us-east-1',
    accountId: '000000000000',
    functionName: (fn) => `rekindle-test-${fn.name}`,
    bundles,
    environmentOf: () => ({ AWS_LAMBDA_FUNCTION_NAME: 'rekindle-test-reloadable' }),
    onLog: () => undefined,
    onReport: (report) => reports.push(report),
  });
  watcher = startHotReload({
    dirs: [sources],
    bundles,
    invoker,
    debounceMs: 50,
    onReload: (reload) => reloads.push(reload),
  });
});

afterAll(async () => {
  watcher?.close();
  await invoker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

type Answer = { message: string; pid: number };

describe('hot reload', () => {
  it('runs a changed module at the next invocation, cold, from a rebuilt bundle, without a restart', async () => {
    const first = (await invoker.invoke(reloadable, {})) as Answer;
    const warm = (await invoker.invoke(reloadable, {})) as Answer;
    expect(first.message).toBe('first version');
    expect(warm.pid).toBe(first.pid);

    // Not the entry point: a module it imports, which only the bundle's inputs know about.
    writeFileSync(join(sources, 'reloadable-message.ts'), "export const message = 'second version';\n");
    await until(() => reloads.length === 1);
    expect(reloads[0]).toEqual({
      paths: [expect.stringMatching(/reloadable-message\.ts$/)],
      functions: ['reloadable'],
    });
    expect(reloadLine(reloads[0]!)).toMatch(
      /^\[local\] .*reloadable-message\.ts changed: 1 bundle \(reloadable\) rebuilt at the next cold start; warm containers retired, next invocations start cold$/,
    );

    const second = (await invoker.invoke(reloadable, {})) as Answer;
    expect(second.message).toBe('second version');
    expect(second.pid).not.toBe(first.pid);
    expect(reports.map((r) => r.coldStart !== undefined)).toEqual([true, false, true]);
    expect(reports[2]!.coldStart!.bundleMs).toBeGreaterThan(0);
  });

  it('leaves warm containers alone when a file no bundle was built from changes', async () => {
    expect(reloadChanged(bundles, invoker, [join(sources, 'unrelated.ts')])).toBeUndefined();
    const before = reports.length;
    const answer = (await invoker.invoke(reloadable, {})) as Answer;
    expect(answer.message).toBe('second version');
    expect(reports[before]!.coldStart).toBeUndefined();
  });
});
