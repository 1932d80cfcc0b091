export interface HttpResponse {
  readonly statusCode: number;
  /** Header name and value pairs; a name may repeat (Set-Cookie). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

const json = (statusCode: number, value: unknown): HttpResponse => ({
  statusCode,
  headers: [['content-type', 'application/json']],
  body: Buffer.from(JSON.stringify(value)),
});

/** API Gateway's own answers. */
export const gatewayResponses = {
  internalServerError: (): HttpResponse => json(500, { message: 'Internal Server Error' }),
  forbidden: (): HttpResponse => json(403, { message: 'Forbidden' }),
  unauthorized: (): HttpResponse => json(401, { message: 'Unauthorized' }),
  tooLarge: (): HttpResponse => json(413, { message: 'Request Entity Too Large' }),
  notFound: (): HttpResponse => json(404, { message: 'Not Found' }),
  serviceUnavailable: (): HttpResponse => json(503, { message: 'Service Unavailable' }),
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Maps a function result to the HTTP response, as API Gateway does for payload format 2.0: an
 * object with `statusCode` is a structured response (headers, multiValueHeaders, cookies as
 * Set-Cookie, body, isBase64Encoded); anything else is a 200 `application/json` of the JSON value.
 * A malformed structured response is a 500.
 */
export const httpResult = (result: unknown): HttpResponse => {
  if (!isRecord(result) || !('statusCode' in result)) {
    if (result === undefined)
      return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.alloc(0) };
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
  }
  const statusCode = Number(result.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return gatewayResponses.internalServerError();
  const headers: [string, string][] = [];
  const seen = new Set<string>();
  if (isRecord(result.multiValueHeaders)) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) continue;
      seen.add(name.toLowerCase());
      headers.push([name, values.map(String).join(',')]);
    }
  }
  if (isRecord(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) {
      if (value === undefined || value === null) continue;
      if (seen.has(name.toLowerCase())) {
        const index = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
        headers[index] = [name, `${headers[index]![1]},${String(value)}`];
      } else {
        seen.add(name.toLowerCase());
        headers.push([name, String(value)]);
      }
    }
  }
  if (Array.isArray(result.cookies)) {
    for (const cookie of result.cookies) headers.push(['set-cookie', String(cookie)]);
  }
  const rawBody = result.body;
  const text =
    rawBody === undefined || rawBody === null
      ? ''
      : typeof rawBody === 'string'
        ? rawBody
        : JSON.stringify(rawBody);
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
  return { statusCode, headers, body };
};
