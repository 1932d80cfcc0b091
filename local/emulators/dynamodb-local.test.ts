import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { projectRoot } from '../paths';
import { killStaleDynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { processAlive } from './process-alive';

const pidDir = mkdtempSync(join(tmpdir(), 'rekindle-ddb-pids-'));
afterAll(() => rmSync(pidDir, { recursive: true, force: true }));

const waitUntil = async (check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('DynamoDB Local', () => {
  it('answers, and leaves no Java process or pidfile after stop', async () => {
    const ddb = await startDynamoDbLocal({ pidDir });
    onTestFinished(() => ddb.stop());
    const client = new DynamoDBClient({
      endpoint: ddb.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: 'things',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['things']);
    client.destroy();
    expect(readdirSync(pidDir)).toHaveLength(1);
    expect(processAlive(ddb.pid)).toBe(true);
    await ddb.stop();
    expect(processAlive(ddb.pid)).toBe(false);
    expect(readdirSync(pidDir)).toEqual([]);
  });

  it('kills the Java process a SIGKILLed run left behind', async () => {
    const script = `
      import { startDynamoDbLocal } from ${JSON.stringify(join(projectRoot, 'local/emulators/dynamodb-local.ts'))};
      const ddb = await startDynamoDbLocal({ pidDir: ${JSON.stringify(pidDir)} });
      console.log(ddb.pid);
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const javaPid = await new Promise<number>((resolve, reject) => {
      owner.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      owner.once('exit', () => reject(new Error('owner exited early')));
    });
    onTestFinished(() => {
      if (processAlive(javaPid)) process.kill(javaPid, 'SIGKILL');
    });
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('exit', r));
    expect(processAlive(javaPid)).toBe(true);
    expect(killStaleDynamoDbLocal(pidDir)).toEqual([javaPid]);
    await waitUntil(() => !processAlive(javaPid));
    expect(readdirSync(pidDir)).toEqual([]);
  });
});
