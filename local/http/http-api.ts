import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { FunctionInvoker } from '../function-invoker';
import { httpApiEvent } from './http-event';
import { gatewayResponses, type HttpResponse, httpResult } from './http-result';
import type { HttpRouter } from './http-router';

/** API Gateway's payload limit. */
export const maxRequestBytes = 10 * 1024 * 1024;

export interface HttpApiOptions {
  readonly router: HttpRouter;
  readonly invoker: FunctionInvoker;
  readonly port?: number;
  readonly region: string;
  readonly accountId: string;
  readonly apiId?: string;
  /** Log one line per request (method, path without query, status, function, time). */
  readonly log?: boolean;
}

export interface HttpApi {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

class TooLarge extends Error {}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxRequestBytes) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxRequestBytes) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** The REQUEST authorizer event (payload 2.0) for a request's HTTP API event. */
export const authorizerEvent = (
  event: APIGatewayProxyEventV2,
  routeArn: string,
): APIGatewayRequestAuthorizerEventV2 => {
  const authorization = event.headers['authorization'];
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: authorization === undefined ? [] : [authorization],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    ...(event.cookies ? { cookies: event.cookies } : {}),
    headers: event.headers,
    ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters } : {}),
    requestContext: event.requestContext,
    ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
  } as APIGatewayRequestAuthorizerEventV2;
};

const send = (res: ServerResponse, response: HttpResponse, requestId: string): void => {
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase();
    const existing = headers[key];
    if (key === 'set-cookie') headers[key] = [...(Array.isArray(existing) ? existing : []), value];
    else headers[key] = value;
  }
  headers['content-length'] = String(response.body.length);
  res.writeHead(response.statusCode, headers);
  res.end(response.body);
};

/**
 * The HTTP API: every `http` route of the router, `$default` for the rest, the Lambda authorizer in
 * front of `apiKey` routes, and API Gateway's own 403/413/500 answers.
 */
export const startHttpApi = async (options: HttpApiOptions): Promise<HttpApi> => {
  const { router, invoker } = options;
  const apiId = options.apiId ?? 'local';
  let port = 0;

  const handle = async (req: IncomingMessage, requestId: string): Promise<[HttpResponse, string]> => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof TooLarge) return [gatewayResponses.tooLarge(), '-'];
      throw error;
    }
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const rawPath = url.split('?')[0]!;
    const routed = router.route(method, rawPath);
    if (!routed) return [gatewayResponses.notFound(), '-'];
    const event = httpApiEvent({
      method,
      url,
      httpVersion: req.httpVersion,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      localPort: port,
      routeKey: routed.routeKey,
      ...(routed.pathParameters ? { pathParameters: routed.pathParameters } : {}),
      requestId,
      apiId,
      accountId: options.accountId,
    });
    if (routed.route?.auth === 'apiKey') {
      if (!router.authorizer) return [gatewayResponses.internalServerError(), routed.fn.name];
      const routeArn = `arn:aws:execute-api:${options.region}:${options.accountId}:${apiId}/$default/${method}${rawPath}`;
      let answer: unknown;
      try {
        answer = await invoker.invoke(router.authorizer, authorizerEvent(event, routeArn));
      } catch (error) {
        if ((error as Error).message === 'Unauthorized')
          return [gatewayResponses.unauthorized(), router.authorizer.name];
        console.error(`[http] authorizer ${router.authorizer.name} failed:`, error);
        return [gatewayResponses.internalServerError(), router.authorizer.name];
      }
      const simple = answer as { isAuthorized?: unknown; context?: unknown } | null;
      if (typeof simple?.isAuthorized !== 'boolean') {
        console.error(`[http] authorizer ${router.authorizer.name} did not answer a simple response`);
        return [gatewayResponses.internalServerError(), router.authorizer.name];
      }
      if (!simple.isAuthorized) return [gatewayResponses.forbidden(), router.authorizer.name];
      (event.requestContext as unknown as Record<string, unknown>)['authorizer'] = {
        lambda: simple.context ?? null,
      };
    }
    try {
      return [httpResult(await invoker.invoke(routed.fn, event)), routed.fn.name];
    } catch (error) {
      console.error(`[http] ${routed.fn.name} failed:`, error);
      return [gatewayResponses.internalServerError(), routed.fn.name];
    }
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    const requestId = `${randomUUID().replaceAll('-', '').slice(0, 14)}=`;
    handle(req, requestId)
      .catch((error: unknown) => {
        console.error('[http] request failed:', error);
        return [gatewayResponses.internalServerError(), '-'] as [HttpResponse, string];
      })
      .then(([response, fnName]) => {
        if (response.statusCode === 413) res.setHeader('connection', 'close');
        send(res, response, requestId);
        if (options.log) {
          const path = (req.url ?? '/').split('?')[0];
          console.log(
            `[http] ${req.method} ${path} -> ${response.statusCode} (${fnName}, ${Date.now() - started} ms)`,
          );
        }
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
