import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionSpec } from '../../lib/definition';
import type { FunctionInvoker } from '../function-invoker';

export interface LambdaApi {
  /** Base URL of Lambda's Invoke API (`POST /2015-03-31/functions/<name>/invocations`). */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Lambda's synchronous Invoke API for the local functions, in its wire format: the payload is the
 * event, the answer the function's JSON, or, when it fails, status 200 with `X-Amz-Function-Error:
 * Unhandled` and `{ errorType, errorMessage, trace }`. `npm run invoke` and the integration tests
 * run a function through it, in the running stack's containers.
 */
export const startLambdaApi = async (
  functions: readonly FunctionSpec[],
  invoker: FunctionInvoker,
): Promise<LambdaApi> => {
  const byName = new Map<string, FunctionSpec>();
  for (const fn of functions) {
    byName.set(fn.name, fn);
    byName.set(invoker.functionName(fn), fn);
  }
  const server = createServer(async (req, res) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(
      new URL(req.url ?? '/', 'http://x').pathname,
    );
    const fn = match ? byName.get(decodeURIComponent(match[1]!).split(':').pop()!) : undefined;
    if (req.method !== 'POST' || !fn) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${match?.[1] ?? req.url}` }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let event: unknown;
    try {
      event = text ? JSON.parse(text) : {};
    } catch {
      res.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'InvalidRequestContentException',
      });
      res.end(JSON.stringify({ Type: 'User', message: 'Could not parse request body into json' }));
      return;
    }
    const headers = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
    try {
      const result = await invoker.invoke(fn, event);
      res.writeHead(200, headers);
      res.end(result === undefined ? 'null' : JSON.stringify(result));
    } catch (error) {
      const e = error as Error;
      res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled' });
      res.end(
        JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** The result of one invocation through the Invoke API: the value, or the function's error thrown. */
export const invokeThroughApi = async (lambdaUrl: string, name: string, event: unknown): Promise<unknown> => {
  const res = await fetch(`${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`Invoke ${name}: ${res.status} ${text}`);
  const payload = JSON.parse(text) as unknown;
  if (res.headers.get('x-amz-function-error')) {
    const { errorType, errorMessage } = payload as { errorType: string; errorMessage: string };
    throw Object.assign(new Error(errorMessage), { name: errorType });
  }
  return payload;
};
