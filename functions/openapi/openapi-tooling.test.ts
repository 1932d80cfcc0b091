import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Context } from 'aws-lambda';
import { generate } from 'orval';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../http/http-handler';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const redocly = join(root, 'node_modules/@redocly/cli/bin/cli.js');
const tsc = join(root, 'node_modules/.bin/tsc');
// What a deployment's PUBLIC_API_URL looks like (redocly warns about example.com and localhost).
const apiUrl = 'https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com';

interface LintReport {
  readonly totals: { errors: number; warnings: number };
  readonly problems: readonly {
    ruleId: string;
    severity: string;
    message: string;
    location: { pointer: string }[];
  }[];
}

/** GET /openapi.json as API Gateway hands it to the function: a public route, no authorizer. */
const openapiRequest = {
  version: '2.0',
  routeKey: 'GET /openapi.json',
  rawPath: '/openapi.json',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    http: {
      method: 'GET',
      path: '/openapi.json',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
    },
    routeKey: 'GET /openapi.json',
    stage: '$default',
  },
} as unknown as HttpEvent;

/** A consumer of the generated client: two real routes, and a misuse the types must refuse. */
const consumer = `import { createScoringRun, getImport, listProfiles } from './rekindle-client';

export const consume = async (): Promise<string[]> => {
  const notes: string[] = [];
  const page = await listProfiles({ email: 'ada@example.com', limit: 10 });
  if (page.status === 200) for (const profile of page.data.items) notes.push(profile.profileId);
  else notes.push(page.data.error.code);
  const found = await getImport('imp_0123456789abcdef01234567');
  if (found.status === 200) {
    notes.push(found.data.status, String(found.data.progress.rowsDone), String(found.data.counts.merged ?? 0));
  }
  const queued = await createScoringRun({ timeUnit: 'week' });
  if (queued.status === 202) notes.push(queued.data.runId);
  // @ts-expect-error the page size is a number: an untyped (any) client would accept this
  await listProfiles({ limit: 'ten' });
  return notes;
};
`;

const strictConfig = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
  },
  include: ['*.ts'],
};

describe('the served OpenAPI document, fed to the tools API users feed it to', () => {
  let dir: string;
  let documentFile: string;

  beforeAll(async () => {
    vi.stubEnv('PUBLIC_API_URL', apiUrl);
    const { handler } = await import('../handlers/get-openapi');
    const response = await handler(openapiRequest, { awsRequestId: 'r' } as Context);
    expect(response.statusCode).toBe(200);
    dir = await mkdtemp(join(tmpdir(), 'rekindle-openapi-'));
    documentFile = join(dir, 'openapi.json');
    await writeFile(documentFile, response.body ?? '');
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lints with no errors under redocly recommended rules', async () => {
    // redocly exits non-zero when it finds errors; the JSON report on stdout is read either way.
    const stdout = await run(
      process.execPath,
      [redocly, 'lint', '--extends=recommended', '--format=json', documentFile],
      {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).then(
      (r) => r.stdout,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`,
    );
    if (problems.length > 0) process.stdout.write(`redocly lint:\n${problems.join('\n')}\n`);
    expect(problems.filter((p) => p.startsWith('error'))).toEqual([]);
    // The one warning left: GET /openapi.json is public and static, it has no 4xx answer to document.
    expect(problems).toEqual([
      'warn operation-4xx-response #/paths/~1openapi.json/get/responses: Operation must have at least one `4XX` response.',
    ]);
  });

  it('generates a typed client that compiles in a strict TypeScript project', async () => {
    const client = join(dir, 'rekindle-client.ts');
    await generate({
      input: { target: documentFile },
      output: { target: client, client: 'fetch', mode: 'single', baseUrl: apiUrl },
    });
    // orval reports an unreadable document (an unresolved $ref) on the console and writes nothing.
    expect(existsSync(client)).toBe(true);
    await writeFile(join(dir, 'consume.ts'), consumer);
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(strictConfig));
    const compiled = await run(tsc, ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
      () => '',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(compiled).toBe('');
  });
});
