import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createApiKey } from '../../functions/auth/create-api-key';
import { functions, type Scope } from '../../lib/definition';
import type { LocalEndpoints } from '../../local/local-stack';
import { invokeThroughApi } from '../../local/runtime/lambda-api';

/** What the global setup's local stack publishes (the same as .local/endpoints.json). */
export type Endpoints = LocalEndpoints;

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
  }
}

export const endpoints = (): Endpoints => inject('endpoints');

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
/** A unique suffix so tests sharing one stack never collide. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** A valid UK mobile number no other test uses. */
export const uniquePhone = () => `+447400${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;

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
