import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createApiKey } from '../../functions/auth/create-api-key';
import { functions, type Scope } from '../../lib/definition';
import { createFunctionInvoker } from '../../local/function-invoker';
import type { LocalEndpoints } from '../../local/local-stack';

/** What the global setup's local stack publishes (the same as .local/endpoints.json). */
export type Endpoints = LocalEndpoints;

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
    functionEnv: Record<string, string>;
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

let invoker: ReturnType<typeof createFunctionInvoker> | undefined;

/**
 * Runs a function once against the local stack, as `npm run invoke` does: the real handler, with
 * the environment the stack gives its functions.
 */
export const invoke = async (name: string, event: unknown): Promise<any> => {
  if (!invoker) {
    Object.assign(process.env, inject('functionEnv'));
    invoker = createFunctionInvoker({
      stage: 'local',
      region: endpoints().region,
      accountId: '000000000000',
    });
  }
  const fn = functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return invoker.invoke(fn, event);
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
