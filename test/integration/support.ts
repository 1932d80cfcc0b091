import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApiKey } from '../../functions/auth/create-api-key';
import { functions, type Scope } from '../../lib/definition';
import type { EmulatorEndpoints } from '../../local/emulators/start-emulators';
import type { LocalEndpoints } from '../../local/local-stack';
import { invokeThroughApi } from '../../local/runtime/lambda-api';
import type { IntegrationFile } from './stages';

/** What this test file's local stack publishes (the same as .local/endpoints.json). */
export type Endpoints = LocalEndpoints;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project's emulators (global-setup.ts), shared by its files' stacks. */
    emulators: EmulatorEndpoints;
    /** Each test file of the project (absolute path) with its stage and index. */
    integrationFiles: Record<string, IntegrationFile>;
    /** A stage all files of the project share (the CDNOW project: one import of the master file). */
    sharedStage?: string;
    /** The one stack of the shared stage, started by the global setup. */
    sharedStack?: Endpoints;
  }
}

let current: { endpoints: Endpoints; index: number } | undefined;

/** Called by file-stack.ts once this file's stack is up. */
export const useStack = (stackEndpoints: Endpoints, index: number): void => {
  current = { endpoints: stackEndpoints, index };
};

/** The endpoints of this test file's own stack (its stage's tables, queues and bucket). */
export const endpoints = (): Endpoints => {
  if (!current) throw new Error('no local stack: test/integration/file-stack.ts must be a setup file');
  return current.endpoints;
};

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const documentClient = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: endpoints().dynamodbEndpoint, region: endpoints().region, credentials }),
  );

export const s3 = () =>
  new S3Client({
    endpoint: endpoints().s3Endpoint,
    region: endpoints().region,
    credentials,
    forcePathStyle: true,
  });

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** A request to the local HTTP API, authenticated with the bootstrap admin key unless `key` says otherwise. */
export const api = async (
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null } = {},
): Promise<ApiResponse> => {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? endpoints().apiKey : options.key;
  if (key !== null) headers.authorization ??= `Bearer ${key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${endpoints().apiUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
};

/** A key with just these scopes, stored in the local stack's key table. */
export const keyWith = async (scopes: Scope[]): Promise<string> =>
  (
    await createApiKey({
      tableName: endpoints().tables.apiKeys!,
      name: `test-${scopes.join('-')}`,
      scopes,
      client: documentClient(),
    })
  ).key;

let counter = 0;
/** A unique suffix, so that tests of one file never collide, nor mail of files sharing the SES inbox. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

let phones = 0;
/**
 * A valid UK mobile number no other test uses, and never the same twice: the block 07400 9xxxxx is
 * reserved for this function (fixtures and other tests use 07400 1-6xxxxx, 07911 8xxxxx), each file
 * has its hundredth of it by index, since the SES inbox and the SMS endpoint with its opt-outs are
 * shared by the files of a project. (Random numbers met the phones of another file's import.)
 */
export const uniquePhone = (): string => {
  const index = current?.index ?? 0;
  if (index > 99 || phones > 999) throw new Error('uniquePhone: the block 07400 9xxxxx is used up');
  return `+4474009${String(index).padStart(2, '0')}${String(phones++).padStart(3, '0')}`;
};

/**
 * Runs a function once in the local stack, as `npm run invoke` does: through Lambda's Invoke API,
 * in one of the function's containers (its bundle, its environment, its grants).
 */
export const invoke = async (name: string, event: unknown): Promise<any> => {
  if (!functions.some((f) => f.name === name)) throw new Error(`no function ${name}`);
  return invokeThroughApi(endpoints().lambdaEndpoint, name, event);
};

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export const eventually = async <T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/**
 * What a function has logged so far (its log file in the local stack, as its CloudWatch log group
 * in AWS); `from` skips what was there before, as returned by an earlier call's `size`.
 */
export const functionLog = (name: string, from = 0): { text: string; size: number } => {
  const file = join(endpoints().logsDir, `${name}.log`);
  if (!existsSync(file)) return { text: '', size: 0 };
  const all = readFileSync(file);
  return { text: all.subarray(from).toString('utf8'), size: all.length };
};
