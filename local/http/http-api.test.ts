import { type IncomingMessage, request } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../lib/definition';
import { createInProcessInvoker, type Handler, importHandler } from '../function-invoker';
import { fixtureLoader } from '../test-fixtures/fixture-loader';
import { type HttpApi, maxRequestBytes, startHttpApi } from './http-api';
import { createHttpRouter } from './http-router';

const spec = (name: string, triggers: FunctionSpec['triggers']): FunctionSpec => ({
  name,
  description: name,
  triggers,
  access: {},
});
const functions: FunctionSpec[] = [
  spec('authorize', [{ kind: 'httpAuthorizer' }]),
  spec('get-thing', [
    { kind: 'http', method: 'GET', path: '/things/{thingId}', auth: 'apiKey', scope: 'read' },
  ]),
  spec('list-things', [{ kind: 'http', method: 'GET', path: '/things', auth: 'apiKey', scope: 'read' }]),
  spec('post-form', [{ kind: 'http', method: 'POST', path: '/form', auth: 'public' }]),
  spec('plain', [{ kind: 'http', method: 'GET', path: '/plain', auth: 'public' }]),
  spec('broken', [{ kind: 'http', method: 'GET', path: '/broken', auth: 'public' }]),
  spec('echo', [{ kind: 'http', method: 'GET', path: '/echo', auth: 'public' }]),
  spec('not-found', [{ kind: 'httpDefault' }]),
];

let seen: { fn: string; event: unknown }[] = [];
const record =
  (fn: string, result: unknown): Handler =>
  async (event) => {
    seen.push({ fn, event });
    return result;
  };

const handlers: Record<string, Handler> = {
  authorize: async (event: APIGatewayRequestAuthorizerEventV2) => {
    seen.push({ fn: 'authorize', event });
    const auth = event.headers?.['authorization'];
    if (auth === 'Bearer deny') return { isAuthorized: false };
    return { isAuthorized: true, context: { keyValid: auth === 'Bearer good', scopes: 'read' } };
  },
  'get-thing': record('get-thing', {
    statusCode: 201,
    headers: { 'x-one': 'a' },
    multiValueHeaders: { 'x-many': ['b', 'c'] },
    cookies: ['s=1; Path=/', 't=2'],
    body: 'created',
  }),
  'list-things': record('list-things', { items: [1, 2] }),
  'post-form': async (event: APIGatewayProxyEventV2) => {
    seen.push({ fn: 'post-form', event });
    return { statusCode: 200, body: Buffer.from('binary!').toString('base64'), isBase64Encoded: true };
  },
  plain: record('plain', 'just text'),
  broken: async () => {
    throw new Error('handler bug');
  },
  'not-found': record('not-found', {
    statusCode: 404,
    headers: { 'content-type': 'application/json' },
    body: '{"error":"nf"}',
  }),
};

let api: HttpApi;

beforeAll(async () => {
  const invoker = createInProcessInvoker({
    stage: 'test',
    region: 'us-east-1',
    accountId: '000000000000',
    loadHandler: (fn) =>
      fn.name === 'echo'
        ? importHandler({ ...fn, name: '../../local/test-fixtures/echo-handler' })
        : fixtureLoader(handlers)(fn),
  });
  api = await startHttpApi({
    router: createHttpRouter(functions),
    invoker,
    region: 'us-east-1',
    accountId: '000000000000',
  });
});

afterAll(() => api.stop());
beforeEach(() => {
  seen = [];
});

describe('HTTP API', () => {
  it('builds the payload 2.0 event, after the authorizer', async () => {
    // Raw headers, so that the repeated one is sent twice (fetch would join it).
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${api.url}/things/t%201?b=2&a=1&a=3&e=x%20y`, {
        headers: [
          'host',
          new URL(api.url).host,
          'authorization',
          'Bearer good',
          'x-dup',
          'one',
          'x-dup',
          'two',
          'cookie',
          'c1=v1; c2=v2',
          'user-agent',
          'vitest',
        ],
      });
      req.on('response', resolve).on('error', reject).end();
    });
    let text = '';
    for await (const chunk of response) text += chunk;
    expect(response.statusCode).toBe(201);
    expect(text).toBe('created');
    expect(response.headers['x-one']).toBe('a');
    expect(response.headers['x-many']).toBe('b,c');
    expect(response.headers['set-cookie']).toEqual(['s=1; Path=/', 't=2']);
    expect(response.headers['apigw-requestid']).toBeTruthy();

    expect(seen.map((s) => s.fn)).toEqual(['authorize', 'get-thing']);
    const authorizerEvent = seen[0]!.event as APIGatewayRequestAuthorizerEventV2;
    expect(authorizerEvent).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:000000000000:local/$default/GET/things/t%201',
      identitySource: ['Bearer good'],
      routeKey: 'GET /things/{thingId}',
      rawPath: '/things/t%201',
      pathParameters: { thingId: 't 1' },
    });
    const event = seen[1]!.event as APIGatewayProxyEventV2 & {
      requestContext: { authorizer: { lambda: Record<string, unknown> } };
    };
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{thingId}',
      rawPath: '/things/t%201',
      rawQueryString: 'b=2&a=1&a=3&e=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,3', b: '2', e: 'x y' },
      pathParameters: { thingId: 't 1' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        http: {
          method: 'GET',
          path: '/things/t%201',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'vitest',
        },
        routeKey: 'GET /things/{thingId}',
        stage: '$default',
        authorizer: { lambda: { keyValid: true, scopes: 'read' } },
      },
    });
    expect(event.headers['x-dup']).toBe('one,two');
    expect(event.headers['authorization']).toBe('Bearer good');
    expect(event.headers['cookie']).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.body).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(event.requestContext.requestId).toBe(response.headers['apigw-requestid']);
  });

  it('answers 403 Forbidden when the authorizer says no, without calling the route', async () => {
    const response = await fetch(`${api.url}/things`, { headers: { authorization: 'Bearer deny' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
    expect(seen.map((s) => s.fn)).toEqual(['authorize']);
  });

  it('maps a result without statusCode to 200 JSON', async () => {
    const response = await fetch(`${api.url}/things`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ items: [1, 2] });
    expect((seen[1]!.event as { requestContext: { authorizer: unknown } }).requestContext.authorizer).toEqual(
      {
        lambda: { keyValid: false, scopes: 'read' },
      },
    );
    expect(await (await fetch(`${api.url}/plain`)).text()).toBe('just text');
  });

  it('base64-encodes non-text bodies (form posts too) and decodes base64 results', async () => {
    const response = await fetch(`${api.url}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(await response.text()).toBe('binary!');
    const event = seen[0]!.event as APIGatewayProxyEventV2;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').toString()).toBe('List-Unsubscribe=One-Click');
    expect(event.routeKey).toBe('POST /form');
    expect(event.pathParameters).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();

    seen = [];
    await fetch(`${api.url}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"a":1}',
    });
    const json = seen[0]!.event as APIGatewayProxyEventV2;
    expect([json.isBase64Encoded, json.body]).toEqual([false, '{"a":1}']);
  });

  it('sends the rest to $default', async () => {
    const response = await fetch(`${api.url}/nowhere?x=1`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'nf' });
    expect(seen.map((s) => s.fn)).toEqual(['not-found']);
    expect((seen[0]!.event as APIGatewayProxyEventV2).routeKey).toBe('$default');
    expect((seen[0]!.event as APIGatewayProxyEventV2).requestContext.routeKey).toBe('$default');
  });

  it('answers 500 Internal Server Error when the handler throws', async () => {
    const response = await fetch(`${api.url}/broken`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 413 to a body over 10 MB', async () => {
    const response = await fetch(`${api.url}/form`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: Buffer.alloc(maxRequestBytes + 1, 'a'),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(seen).toEqual([]);
  });

  it('loads handler modules with import() and passes a Lambda context', async () => {
    const response = await fetch(`${api.url}/echo`);
    const body = (await response.json()) as {
      functionName: string;
      remaining: number;
      event: { routeKey: string };
    };
    expect(body.functionName).toBe('rekindle-test-echo');
    expect(body.remaining).toBeGreaterThan(9000);
    expect(body.remaining).toBeLessThanOrEqual(10_000);
    expect(body.event.routeKey).toBe('GET /echo');
  });
});
