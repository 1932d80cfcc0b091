import { randomBytes } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessDenied, deniedMessage, type WireResponse } from './access-denied';
import { type Authorization, isAllowed, type Statement } from './access-policy';
import { type ArnContext, requestAuthorizations, type SignedRequest } from './request-authorizations';

/** One function's credentials and what its role may do. */
export interface Principal {
  readonly functionName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly policy: readonly Statement[];
}

/** A service answered by the proxy itself (Secrets Manager, which no emulator here provides). */
export type LocalService = (request: SignedRequest) => WireResponse;

export interface AccessProxyOptions extends ArnContext {
  /** Emulator base URL by SigV4 service name (`dynamodb`, `s3`, `sqs`, `sns`, `ses`). */
  readonly upstreams: Readonly<Record<string, string>>;
  readonly localServices?: Readonly<Record<string, LocalService>>;
  /** Every refusal, for the runner's log. */
  readonly onDenied?: (functionName: string, action: string, resource: string) => void;
}

export interface AccessProxy {
  /** Where functions' SDK clients send every call (`AWS_ENDPOINT_URL_<service>`). */
  readonly url: string;
  /** Credentials for a function's containers; its calls are checked against `policy`. */
  principal(functionName: string, policy: readonly Statement[]): Principal;
  stop(): Promise<void>;
}

/** `Credential=AKID/date/region/service/aws4_request` of a SigV4 header or presigned query. */
const credentialScope = (
  req: IncomingMessage,
  url: URL,
): { accessKeyId: string; service: string } | undefined => {
  const auth = req.headers.authorization ?? '';
  const credential = /Credential=([^,\s]+)/.exec(auth)?.[1] ?? url.searchParams.get('X-Amz-Credential') ?? '';
  const [accessKeyId, , , service] = credential.split('/');
  return accessKeyId && service ? { accessKeyId, service } : undefined;
};

const send = (res: ServerResponse, response: WireResponse): void => {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
};

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Decisions remembered per principal; past this many (S3 object keys are many) they start over. */
const maxRememberedDecisions = 10_000;

/**
 * `isAllowed` for one principal, remembering each answer: a policy never changes after the
 * principal is made, so the same action on the same resource (and prefix) gets the same answer.
 * Every call is still decided; only the pattern matching of a repeated question is not done again
 * (it cost a scoring run's 23,570 score writes about 40 % of the proxy's time).
 */
const decider = (policy: readonly Statement[]) => {
  const decisions = new Map<string, boolean>();
  return (check: Authorization): boolean => {
    // Length-prefixed, so that no two questions share a key whatever characters they hold.
    const { action, resource, s3Prefix } = check;
    const key = `${action.length}:${action}${resource.length}:${resource}${s3Prefix === undefined ? '-' : `+${s3Prefix}`}`;
    let allowed = decisions.get(key);
    if (allowed === undefined) {
      allowed = isAllowed(policy, check);
      if (decisions.size >= maxRememberedDecisions) decisions.clear();
      decisions.set(key, allowed);
    }
    return allowed;
  };
};

/**
 * Stands where IAM stands: every AWS call of a function passes here, is identified by the access
 * key its container was given, is checked against that function's policy (the same statements its
 * role has in the template) and is either refused in the service's own wire format, as AWS refuses
 * it, or forwarded untouched to the emulator. Emulators check no permissions at all: without this,
 * a function could locally use a table its role cannot.
 */
export const startAccessProxy = async (options: AccessProxyOptions): Promise<AccessProxy> => {
  const principals = new Map<string, { principal: Principal; allows: (check: Authorization) => boolean }>();
  const upstreams = new Map(
    Object.entries(options.upstreams).map(([service, base]) => {
      const url = new URL(base);
      return [service, { hostname: url.hostname, port: url.port, host: url.host }] as const;
    }),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const scope = credentialScope(req, url);
    const known = scope ? principals.get(scope.accessKeyId) : undefined;
    const service = scope?.service ?? 'unknown';
    if (!scope || !known) {
      send(res, accessDenied(service, 'The security token included in the request is invalid.'));
      return;
    }
    // S3 bodies (whole import files) stream through; other services' requests are small JSON.
    const body = service === 's3' ? undefined : await readBody(req);
    const signed: SignedRequest = {
      service,
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      ...(body ? { body } : {}),
    };
    const { principal, allows } = known;
    for (const check of requestAuthorizations(signed, options)) {
      if (!allows(check)) {
        const principalArn = `arn:aws:sts::${options.accountId}:assumed-role/${principal.functionName}-role/${principal.functionName}`;
        options.onDenied?.(principal.functionName, check.action, check.resource);
        send(res, accessDenied(service, deniedMessage(principalArn, check.action, check.resource)));
        if (body === undefined) req.resume();
        return;
      }
    }
    const local = options.localServices?.[service];
    if (local) {
      send(res, local(signed));
      return;
    }
    const upstream = upstreams.get(service);
    if (!upstream) {
      send(res, { status: 501, headers: { 'content-type': 'text/plain' }, body: `No local ${service}` });
      return;
    }
    const forwarded = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        // The path as authorized (parsed, dot segments resolved), not as sent.
        path: url.pathname + url.search,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream ${service}: ${error.message}`);
    });
    if (body === undefined) req.pipe(forwarded);
    else forwarded.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  // Lambda's SDK clients keep connections open; so do the containers' clients here.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    principal: (functionName, policy) => {
      const principal: Principal = {
        functionName,
        accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
        secretAccessKey: randomBytes(20).toString('base64url'),
        sessionToken: randomBytes(24).toString('base64url'),
        policy,
      };
      principals.set(principal.accessKeyId, { principal, allows: decider(policy) });
      return principal;
    },
    stop: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
