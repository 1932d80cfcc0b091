import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, Context } from 'aws-lambda';
import type { z } from 'zod';
import { functions, routeKey, type Scope, type Trigger } from '../../lib/definition';
import { type AuthContext, hasScope, scopesOf } from '../auth/auth-context';
import { unstorableNumbers } from '../shared/exact-numbers';
import { logger } from '../shared/logger';
import { metrics } from '../shared/metrics';
import { forbidden, HttpError, unauthorized, validationFailed } from './http-error';
import type { HttpResult } from './json-response';
import { parseJsonBody } from './parse-json-body';
import { toHttpError } from './to-http-error';
import { zodDetails } from './zod-details';

export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthContext>;

export interface HttpRequest<B, Q = Readonly<Record<string, string>>> {
  readonly event: HttpEvent;
  readonly body: B;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** The query string: as sent, or as the route's `query` schema parsed it. */
  readonly query: Q;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth: AuthContext | undefined;
  readonly context: Context;
}

export interface HttpHandlerOptions<S extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** Schema of the JSON body; routes without one ignore the body. */
  readonly body?: S;
  /** Schema of the query string (422 with `query.<name>` details when it fails). */
  readonly query?: Q;
  /** Media types accepted for the body besides application/json. */
  readonly mediaTypes?: readonly string[];
  /** Largest body accepted, in bytes (413 beyond). */
  readonly maxBodyBytes?: number;
  /**
   * Content-Security-Policy directives over middy's defaults (which allow nothing: no script, no
   * style, no form, a sandbox): only for a route that serves a page a browser must use.
   */
  readonly contentSecurityPolicy?: Readonly<Record<string, string>>;
  /**
   * `refuse` (default): a body holding a number DynamoDB cannot store as sent is a 422 naming it.
   * `perItem`: the handler refuses them item by item (a batch whose one bad item is rejected alone).
   */
  readonly unstorableNumbers?: 'refuse' | 'perItem';
}

/**
 * What a route takes, exactly as its handler validates it. The OpenAPI document is built from the
 * same schema objects, and its contract test compares each route's documentation with this.
 */
export interface HttpContract {
  readonly body: z.ZodType | undefined;
  readonly query: z.ZodType | undefined;
  /** Media types accepted for the body, application/json first; empty without a body. */
  readonly mediaTypes: readonly string[];
}

/** Bodies are small JSON documents; anything beyond this is refused with 413 before parsing. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

type DeclaredRoute = Extract<Trigger, { kind: 'http' }> | { readonly kind: 'httpDefault' };

/**
 * The routes a function declares, by API Gateway route key (`$default` for a function that serves
 * it), read once when the handler is built: a request's route is one map look-up.
 */
const declaredRoutes = (functionName: string): ReadonlyMap<string, DeclaredRoute> => {
  const fn = functions.find((f) => f.name === functionName);
  if (!fn) throw new Error(`${functionName} is not in lib/definition.ts`);
  const routes = new Map<string, DeclaredRoute>();
  for (const t of fn.triggers) {
    if (t.kind === 'http') routes.set(routeKey(t), t);
    else if (t.kind === 'httpDefault') routes.set('$default', t);
  }
  return routes;
};

/**
 * Authentication and scope, enforced for every route the definition marks `auth: 'apiKey'`. The
 * authorizer resolved the key; this answers 401/403 in the API's error shape. It fails closed: a
 * request on a route key this function does not declare (a misrouted integration, a hand-made
 * event) is answered 401 and never served, as is an `apiKey` route without authorizer context.
 */
const enforceAccess = (functionName: string): MiddlewareObj<HttpEvent, HttpResult> => {
  const routes = declaredRoutes(functionName);
  return {
    before: ({ event }) => {
      const route = routes.get(event.routeKey);
      if (route === undefined)
        throw unauthorized('This route is not served here without an API key it can check.');
      if (route.kind === 'httpDefault' || route.auth === 'public') return;
      const auth = event.requestContext?.authorizer?.lambda;
      // Context values may arrive as booleans or strings, depending on the caching path.
      if (String(auth?.authenticated) !== 'true') {
        throw unauthorized(
          auth?.reason === 'invalid'
            ? 'The API key is not valid.'
            : 'An API key is required: send it as "Authorization: Bearer <key>".',
        );
      }
      const needed: Scope = route.scope;
      if (!hasScope(scopesOf(auth), needed)) throw forbidden(`This API key lacks the "${needed}" scope.`);
    },
  };
};

/** Maps every error to the API's error shape; messages of unexpected errors never leave the function. */
/** Flushes what the route recorded (and the cold start), only when there is something to flush. */
const flushMetrics = (): MiddlewareObj<HttpEvent, HttpResult> => {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: () => {
      metrics.captureColdStartMetric();
    },
    after: flush,
    onError: flush,
  };
};

const errorShape = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const error = toHttpError(request.error);
    if (error) {
      request.response = {
        statusCode: error.status,
        headers: { 'content-type': 'application/json; charset=utf-8', ...error.headers },
        body: JSON.stringify(error.toBody()),
      };
      return;
    }
    logger.error('unhandled error', { error: request.error as Error, routeKey: request.event.routeKey });
    request.response = {
      statusCode: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(
        new HttpError(
          500,
          'internal_error',
          'Something went wrong on our side; the request may be retried.',
        ).toBody(),
      ),
    };
  },
});

type Parsed<S extends z.ZodType | undefined, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

/**
 * Wraps a route's use case in the API's middleware: header normalisation, security headers,
 * authentication and scope from the definition, query and JSON body validation, one error shape.
 * The returned handler carries its `contract` (the schemas it validates with).
 */
export const httpHandler = <
  S extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  functionName: string,
  options: HttpHandlerOptions<S, Q>,
  handle: (
    request: HttpRequest<Parsed<S, undefined>, Parsed<Q, Readonly<Record<string, string>>>>,
  ) => Promise<HttpResult>,
) => {
  const mediaTypes = ['application/json', ...(options.mediaTypes ?? [])];
  const contract: HttpContract = {
    body: options.body,
    query: options.query,
    mediaTypes: options.body ? mediaTypes : [],
  };
  const wrapped = middy<HttpEvent, HttpResult>()
    .use(injectLambdaContext(logger))
    .use(flushMetrics())
    .use(httpHeaderNormalizer())
    .use(
      httpSecurityHeaders(
        options.contentSecurityPolicy ? { contentSecurityPolicy: { ...options.contentSecurityPolicy } } : {},
      ) as MiddlewareObj<HttpEvent, HttpResult>,
    )
    .use(errorShape())
    .use(enforceAccess(functionName))
    .handler(async (event: HttpEvent, context: Context): Promise<HttpResult> => {
      let query: unknown = event.queryStringParameters ?? {};
      if (options.query) {
        const parsed = options.query.safeParse(query);
        if (!parsed.success) throw validationFailed(zodDetails(parsed.error, 'query'));
        query = parsed.data;
      }
      let body: unknown;
      if (options.body) {
        const raw = parseJsonBody(event, {
          maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
          mediaTypes,
        });
        const unstorable = options.unstorableNumbers === 'perItem' ? [] : unstorableNumbers(raw);
        if (unstorable.length > 0) throw validationFailed(unstorable);
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) throw validationFailed(zodDetails(parsed.error));
        body = parsed.data;
      }
      return handle({
        event,
        body: body as Parsed<S, undefined>,
        pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
        query: query as Parsed<Q, Readonly<Record<string, string>>>,
        headers: (event.headers ?? {}) as Record<string, string>,
        auth: event.requestContext.authorizer?.lambda,
        context,
      });
    });
  return Object.assign(wrapped, { contract });
};
