import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnAuthorizer,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionSpec, httpRoutes, routeKey } from '../definition';
import { pascal, resourceName } from '../naming';

/** Stage-wide throttling of the default stage (requests per second, and burst). */
export const apiThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/** The access-log line of the default stage: one JSON object per request. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

export interface RekindleHttpApiProps {
  readonly stage: string;
}

/** A function of the definition that serves HTTP: its spec and the deployed function. */
export interface ServingFunction {
  readonly spec: FunctionSpec;
  readonly function: IFunction;
}

/**
 * The HTTP API. Created first (its endpoint goes into function environments), its routes are then
 * added from the definition by `addRoutes`: one route per `http` trigger, `$default` to the
 * `httpDefault` function, and the `httpAuthorizer` function as Lambda authorizer of `apiKey` routes.
 */
export class RekindleHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The API's base URL, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: RekindleHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: resourceName(props.stage, 'api'),
      description: 'Rekindle: profiles, imports, runs and unsubscribes.',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });
    this.url = this.api.apiEndpoint;
  }

  /** Adds the routes and the authorizer of every function of the definition. */
  addRoutes(functions: readonly ServingFunction[]): void {
    const byName = new Map(functions.map((f) => [f.spec.name, f]));
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (name: string): HttpLambdaIntegration => {
      const existing = integrations.get(name);
      if (existing) return existing;
      const fn = byName.get(name);
      if (!fn) throw new Error(`No deployed function named ${name}`);
      const integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, fn.function, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      });
      integrations.set(name, integration);
      return integration;
    };

    const authorizers = functions.filter((f) => f.spec.triggers.some((t) => t.kind === 'httpAuthorizer'));
    const defaults = functions.filter((f) => f.spec.triggers.some((t) => t.kind === 'httpDefault'));
    if (authorizers.length > 1) throw new Error('At most one function can be the httpAuthorizer');
    if (defaults.length > 1) throw new Error('At most one function can serve httpDefault');
    const authorizerFn = authorizers[0];
    const authorizer = authorizerFn
      ? new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizerFn.function, {
          authorizerName: 'api-key',
          responseTypes: [HttpLambdaResponseType.SIMPLE],
          // No identity source and no cache: the authorizer runs on every request, even one without an
          // Authorization header. It always allows and passes its verdict as context; the handlers answer
          // 401/403 in the API's own error shape.
          identitySource: [],
          resultsCacheTtl: Duration.seconds(0),
        })
      : undefined;

    for (const route of httpRoutes()) {
      if (route.auth === 'apiKey' && !authorizer) {
        throw new Error(
          `${routeKey(route)} needs the API key authorizer, and no function is the httpAuthorizer`,
        );
      }
      const created = new HttpRoute(this, `Route${pascal(route.method.toLowerCase())}${pascal(route.path)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrationOf(route.fn.name),
        ...(route.auth === 'apiKey' ? { authorizer } : {}),
      });
      if (route.auth === 'public') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by design (${route.fn.description}); it needs no API key.`,
        });
      }
    }

    const defaultFn = defaults[0];
    if (defaultFn) {
      const created = new HttpRoute(this, 'RouteDefault', {
        httpApi: this.api,
        routeKey: HttpRouteKey.DEFAULT,
        integration: integrationOf(defaultFn.spec.name),
      });
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `$default only answers requests no other route matches with a 404 in the API error shape (${defaultFn.spec.name}); it reads no data.`,
      });
    }

    // HttpAuthorizer always renders IdentitySource; leave it out so API Gateway never rejects a
    // request before the authorizer has seen it.
    const cfnAuthorizer = this.api.node.tryFindChild('ApiKeyAuthorizer')?.node.defaultChild as
      | CfnAuthorizer
      | undefined;
    cfnAuthorizer?.addPropertyDeletionOverride('IdentitySource');
  }
}
