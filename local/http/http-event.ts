import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface HttpRequestInput {
  readonly method: string;
  /** Path and query as received (`/profiles/p1?x=1`). */
  readonly url: string;
  readonly httpVersion: string;
  /** Node's `req.rawHeaders`: name, value, name, value... */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly localPort: number;
  readonly routeKey: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly apiId: string;
  readonly accountId: string;
  readonly now?: Date;
}

const textTypes = /^(text\/[^;]+|application\/json|application\/xml|application\/javascript)\s*(;|$)/i;

/**
 * Whether API Gateway passes a body of this content type as text. Only `text/*`, `application/json`,
 * `application/xml` and `application/javascript` are; everything else, a missing content type and
 * `application/x-www-form-urlencoded` included, arrives base64-encoded.
 */
export const isTextContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && textTypes.test(contentType.trim());

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000`, the `requestContext.time` format. */
export const apiGatewayTime = (date: Date): string =>
  `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
  `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;

/** Header names lower-cased, repeated headers joined with commas, as API Gateway does. */
export const joinHeaders = (rawHeaders: readonly string[]): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return headers;
};

const decodeQueryPart = (text: string): string => {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
};

/** Query parameters decoded, repeated names joined with commas. */
export const joinQuery = (rawQueryString: string): Record<string, string> | undefined => {
  if (rawQueryString === '') return undefined;
  const params: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    params[name] = params[name] === undefined ? value : `${params[name]},${value}`;
  }
  return Object.keys(params).length === 0 ? undefined : params;
};

/** The API Gateway HTTP API (payload format 2.0) event of a request. */
export const httpApiEvent = (input: HttpRequestInput): APIGatewayProxyEventV2 => {
  const now = input.now ?? new Date();
  const q = input.url.indexOf('?');
  const rawPath = q < 0 ? input.url : input.url.slice(0, q);
  const rawQueryString = q < 0 ? '' : input.url.slice(q + 1);
  const joined = joinHeaders(input.rawHeaders);
  const cookieHeader = joined['cookie'];
  delete joined['cookie'];
  const headers: Record<string, string> = {
    ...joined,
    'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
    'x-forwarded-for': joined['x-forwarded-for']
      ? `${joined['x-forwarded-for']}, ${input.sourceIp}`
      : input.sourceIp,
    'x-forwarded-port': String(input.localPort),
    'x-forwarded-proto': 'http',
  };
  const cookies = cookieHeader
    ?.split(/;\s*|,/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const queryStringParameters = joinQuery(rawQueryString);
  const domainName = joined['host'] ?? `127.0.0.1:${input.localPort}`;
  const hasBody = input.body.length > 0;
  const text = isTextContentType(joined['content-type']);
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: input.method,
        path: rawPath,
        protocol: `HTTP/${input.httpVersion}`,
        sourceIp: input.sourceIp,
        userAgent: joined['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(input.pathParameters && Object.keys(input.pathParameters).length > 0
      ? { pathParameters: { ...input.pathParameters } }
      : {}),
    ...(hasBody ? { body: text ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
};
