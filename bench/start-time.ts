import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One `npm start`, timed from the spawn. */
export interface StartRun {
  /** Until the "Rekindle is running locally" banner. */
  readonly readyMs: number;
  /** The first request (GET /profiles with the bootstrap key: authorizer and list-profiles, both cold), sent at the banner. */
  readonly firstRequestMs: number;
  readonly firstRequestStatus: number;
  /** Until the background build says every bundle is up to date. */
  readonly bundlesUpToDateMs: number;
  /** Its line: how many were built, how many were unchanged. */
  readonly bundlesLine: string;
}

export interface StartBench {
  /** An empty bundle cache: every bundle is built (the first request waits for its two). */
  readonly cold: StartRun;
  /** The same cache again, every bundle already built. */
  readonly warm: StartRun;
}

const waitForLine = (child: ChildProcess, output: string[], pattern: RegExp, timeoutMs: number) =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} after ${timeoutMs} ms:\n${output.join('')}`)),
      timeoutMs,
    );
    const check = () => {
      const line = output
        .join('')
        .split('\n')
        .find((l) => pattern.test(l));
      if (line === undefined) return false;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(line);
      return true;
    };
    const onData = () => check();
    if (!check()) child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${output.join('')}`));
    });
  });

/** `npm start` with its state (emulators' data, bundle cache, logs) in `localDir`, timed, then stopped. */
const timedStart = async (localDir: string): Promise<StartRun> => {
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--port', '0', '--no-schedules'], {
    env: { ...process.env, REKINDLE_LOCAL_DIR: localDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  try {
    await waitForLine(child, output, /Rekindle is running locally/, 180_000);
    const readyMs = performance.now() - started;
    const { apiUrl, apiKey } = JSON.parse(readFileSync(join(localDir, 'endpoints.json'), 'utf8')) as {
      apiUrl: string;
      apiKey: string;
    };
    const sent = performance.now();
    const res = await fetch(`${apiUrl}/profiles`, { headers: { authorization: `Bearer ${apiKey}` } });
    await res.arrayBuffer();
    const firstRequestMs = performance.now() - sent;
    const bundlesLine = await waitForLine(child, output, /bundles up to date/, 300_000);
    return {
      readyMs,
      firstRequestMs,
      firstRequestStatus: res.status,
      bundlesUpToDateMs: performance.now() - started,
      bundlesLine: bundlesLine.trim(),
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // npm, its shell and the runner: the runner stops its emulators and containers on SIGINT.
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    await exited;
  }
};

/**
 * How long `npm start` takes to be ready, first with an empty bundle cache (bundles are built when
 * first needed and in the background, so readiness does not wait for them), then with the cache
 * that run left, every bundle built. Each run starts its own emulators.
 */
export const benchStart = async (): Promise<StartBench> => {
  const localDir = mkdtempSync(join(tmpdir(), 'rekindle-start-'));
  try {
    const cold = await timedStart(localDir);
    const warm = await timedStart(localDir);
    return { cold, warm };
  } finally {
    rmSync(localDir, { recursive: true, force: true });
  }
};
