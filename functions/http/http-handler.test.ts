import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AuthContext } from '../auth/auth-context';
import { type HttpEvent, httpHandler } from './http-handler';
import { jsonResponse } from './json-response';

const context = { getRemainingTimeInMillis: () => 10_000, awsRequestId: 'req-1' } as Context;

/** An API Gateway 2.0 event as the HTTP API hands it to the function behind `routeKey`. */
const eventFor = (
  routeKey: string,
  auth?: AuthContext,
  queryStringParameters?: Record<string, string>,
): HttpEvent => {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(auth ? { authorizer: { lambda: auth } } : {}),
    },
  } as unknown as HttpEvent;
};

/** A handler for put-profile (an apiKey route needing `write`) that records whether it was served. */
const served: string[] = [];
const putProfile = httpHandler('put-profile', {}, async (req) => {
  served.push(req.event.routeKey);
  return jsonResponse(200, { ok: true });
});
const getOpenapi = httpHandler('get-openapi', {}, async () => jsonResponse(200, { openapi: '3.1.0' }));

const writer: AuthContext = { authenticated: true, keyId: 'k1', scopes: 'write' };

describe('the HTTP wrapper fails closed', () => {
  it('serves its own apiKey route to a key with the scope', async () => {
    served.length = 0;
    const res = await putProfile(eventFor('PUT /profiles/{profileId}', writer), context);
    expect(res.statusCode).toBe(200);
    expect(served).toEqual(['PUT /profiles/{profileId}']);
  });

  it('answers 401 and serves nothing when the authorizer context is missing', async () => {
    served.length = 0;
    const res = await putProfile(eventFor('PUT /profiles/{profileId}'), context);
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body ?? '{}').error.code).toBe('unauthorized');
    expect(served).toEqual([]);
  });

  it('answers 401 for a key the authorizer did not authenticate', async () => {
    served.length = 0;
    const res = await putProfile(
      eventFor('PUT /profiles/{profileId}', { authenticated: false, reason: 'invalid' }),
      context,
    );
    expect(res.statusCode).toBe(401);
    expect(served).toEqual([]);
  });

  it('answers 401 and serves nothing on a route key the function does not declare', async () => {
    served.length = 0;
    // A public route of another function, a made-up route and $default: none is put-profile's.
    for (const routeKey of [
      'GET /openapi.json',
      'PUT /profiles',
      '$default',
      'DELETE /profiles/{profileId}',
    ]) {
      const res = await putProfile(eventFor(routeKey, writer), context);
      expect(res.statusCode, routeKey).toBe(401);
    }
    expect(served).toEqual([]);
  });

  it('answers 403 for a key without the route scope', async () => {
    served.length = 0;
    const res = await putProfile(
      eventFor('PUT /profiles/{profileId}', { authenticated: true, keyId: 'k2', scopes: 'read' }),
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(served).toEqual([]);
  });

  it('serves a public route without any authorizer context', async () => {
    const res = await getOpenapi(eventFor('GET /openapi.json'), context);
    expect(res.statusCode).toBe(200);
  });
});

describe('the HTTP wrapper validates the query string', () => {
  const reader: AuthContext = { authenticated: true, keyId: 'k3', scopes: 'read' };
  const listProfiles = httpHandler(
    'list-profiles',
    { query: z.strictObject({ limit: z.coerce.number().int().max(100).default(25) }) },
    async (req) => jsonResponse(200, { limit: req.query.limit }),
  );

  it('hands the handler the parsed query, defaults and coercions applied', async () => {
    const given = await listProfiles(eventFor('GET /profiles', reader, { limit: '7' }), context);
    expect(JSON.parse(given.body ?? '{}')).toEqual({ limit: 7 });
    const defaulted = await listProfiles(eventFor('GET /profiles', reader), context);
    expect(JSON.parse(defaulted.body ?? '{}')).toEqual({ limit: 25 });
  });

  it('answers 422 naming the query parameter that failed', async () => {
    const res = await listProfiles(eventFor('GET /profiles', reader, { limit: '500' }), context);
    expect(res.statusCode).toBe(422);
    const paths = JSON.parse(res.body ?? '{}').error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(['query.limit']);
  });
});
