import { type FunctionSpec, type HttpMethod, routeKey as routeKeyOf, type Scope } from '../../lib/definition';
import { createRouteMatcher } from './route-matcher';

export interface HttpRouteBinding {
  readonly routeKey: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly fn: FunctionSpec;
  readonly auth: 'apiKey' | 'public';
  readonly scope?: Scope;
}

export interface RoutedRequest {
  /** `GET /profiles/{profileId}` or `$default`. */
  readonly routeKey: string;
  readonly fn: FunctionSpec;
  readonly route?: HttpRouteBinding;
  readonly pathParameters?: Readonly<Record<string, string>>;
}

export interface HttpRouter {
  readonly routes: readonly HttpRouteBinding[];
  /** The function of the `$default` route. */
  readonly defaultFunction: FunctionSpec | undefined;
  /** The Lambda authorizer of `auth: 'apiKey'` routes. */
  readonly authorizer: FunctionSpec | undefined;
  /** The route API Gateway would choose; undefined when nothing matches and there is no `$default`. */
  route(method: string, rawPath: string): RoutedRequest | undefined;
}

/** Builds the HTTP API's routes from the functions' `http`, `httpDefault` and `httpAuthorizer` triggers. */
export const createHttpRouter = (functions: readonly FunctionSpec[]): HttpRouter => {
  const routes: HttpRouteBinding[] = [];
  let defaultFunction: FunctionSpec | undefined;
  let authorizer: FunctionSpec | undefined;
  for (const fn of functions) {
    for (const trigger of fn.triggers) {
      if (trigger.kind === 'http') {
        const key = routeKeyOf(trigger);
        if (routes.some((r) => r.routeKey === key)) throw new Error(`Route ${key} is served twice`);
        routes.push({
          routeKey: key,
          method: trigger.method,
          path: trigger.path,
          fn,
          auth: trigger.auth,
          ...(trigger.auth === 'apiKey' ? { scope: trigger.scope } : {}),
        });
      } else if (trigger.kind === 'httpDefault') {
        if (defaultFunction) throw new Error('Two functions serve $default');
        defaultFunction = fn;
      } else if (trigger.kind === 'httpAuthorizer') {
        if (authorizer) throw new Error('Two functions are the HTTP authorizer');
        authorizer = fn;
      }
    }
  }
  if (!authorizer && routes.some((r) => r.auth === 'apiKey'))
    throw new Error('apiKey routes need an httpAuthorizer');
  const match = createRouteMatcher(routes);
  return {
    routes,
    defaultFunction,
    authorizer,
    route: (method, rawPath) => {
      const found = match(method, rawPath);
      if (found) {
        return {
          routeKey: found.route.routeKey,
          fn: found.route.fn,
          route: found.route,
          pathParameters: found.pathParameters,
        };
      }
      return defaultFunction && { routeKey: '$default', fn: defaultFunction };
    },
  };
};
