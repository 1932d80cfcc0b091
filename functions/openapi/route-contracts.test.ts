import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { entryOf, httpRoutes, queues, resourceEnv, tables } from '../../lib/definition';
import { TRANSACTION_COUNTERS } from '../events/transaction-row-processor';
import type { HttpContract } from '../http/http-handler';
import { PROFILE_COUNTERS } from '../imports/profile-row-processor';
import { openApiDocument } from './openapi-document';
import { type JsonSchema, toJsonSchema } from './schema-components';

interface Operation {
  readonly parameters: readonly {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema: JsonSchema;
  }[];
  readonly requestBody?: { content: Record<string, { schema: JsonSchema }> };
  readonly responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

const document = openApiDocument() as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};

/** Replaces every `$ref` whose target `lookup` knows by the target itself, recursively. */
const inline = (node: unknown, lookup: (ref: string) => JsonSchema | undefined): unknown => {
  if (Array.isArray(node)) return node.map((item) => inline(item, lookup));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as JsonSchema;
  const target = typeof $ref === 'string' ? lookup($ref) : undefined;
  if (typeof $ref === 'string' && !target) throw new Error(`unresolved $ref ${$ref}`);
  const own = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inline(v, lookup)]));
  return target ? { ...(inline(target, lookup) as JsonSchema), ...own } : own;
};

const documented = (schema: JsonSchema) =>
  inline(schema, (ref) => document.components.schemas[ref.replace('#/components/schemas/', '')]);

/** The handler's schema as zod converts it on its own (refs into its own `$defs`), fully inlined. */
const handlerSchema = (schema: NonNullable<HttpContract['body']>) => {
  const { $schema: _dialect, $defs, ...json } = toJsonSchema(schema, 'input');
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  return inline(json, (ref) => defs[ref.replace('#/$defs/', '')]) as JsonSchema;
};

/** Every resource variable a handler module reads when it loads, so each one can be imported. */
const handlerEnvironment = (): Record<string, string> => ({
  AWS_REGION: 'eu-west-2',
  ...Object.fromEntries(
    Object.keys(tables).map((t) => [resourceEnv.table(t as keyof typeof tables), `t-${t}`]),
  ),
  ...Object.fromEntries(
    Object.keys(queues).map((q) => [resourceEnv.queueUrl(q as keyof typeof queues), `https://sqs.test/${q}`]),
  ),
  [resourceEnv.dropBucket]: 'drop',
  [resourceEnv.opsTopicArn]: 'arn:aws:sns:eu-west-2:000000000000:ops',
  [resourceEnv.sesConfigurationSet]: 'ses',
  [resourceEnv.publicApiUrl]: 'https://api.test',
  [resourceEnv.unsubscribeSecretArn]: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:unsub',
  [resourceEnv.campaignScheduleGroup]: 'campaigns',
  [resourceEnv.campaignScheduleTargetArn]: 'arn:aws:sqs:eu-west-2:000000000000:starts',
  [resourceEnv.campaignSchedulerRoleArn]: 'arn:aws:iam::000000000000:role/scheduler',
  [resourceEnv.campaignScheduleDeadLetterArn]: 'arn:aws:sqs:eu-west-2:000000000000:starts-dlq',
});

describe('each route documents exactly what its handler validates', () => {
  const contracts = new Map<string, HttpContract>();

  beforeAll(async () => {
    for (const [name, value] of Object.entries(handlerEnvironment())) vi.stubEnv(name, value);
    for (const route of httpRoutes()) {
      if (contracts.has(route.fn.name)) continue;
      const module = (await import(pathToFileURL(join(root, entryOf(route.fn))).href)) as {
        handler: { contract: HttpContract };
      };
      contracts.set(route.fn.name, module.handler.contract);
    }
  });
  afterAll(() => vi.unstubAllEnvs());

  it.each(httpRoutes().map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_key, route) => {
    const contract = contracts.get(route.fn.name)!;
    const op = document.paths[route.path]![route.method.toLowerCase()]!;

    // The body: the same media types, each with the handler's schema.
    if (contract.body) {
      const content = op.requestBody?.content ?? {};
      expect(Object.keys(content)).toEqual(contract.mediaTypes);
      for (const media of Object.values(content))
        expect(documented(media.schema)).toEqual(handlerSchema(contract.body));
    } else expect(op.requestBody).toBeUndefined();

    // The query: one parameter per property of the handler's schema, required where it is.
    const params = op.parameters.filter((p) => p.in === 'query');
    if (contract.query) {
      const expected = handlerSchema(contract.query);
      expect(
        Object.fromEntries(params.map(({ name, description, schema }) => [name, { ...schema, description }])),
      ).toEqual(expected.properties);
      expect(params.filter((p) => p.required).map((p) => p.name)).toEqual(expected.required ?? []);
    } else expect(params).toEqual([]);
  });
});

describe('the documented import', () => {
  const importSchema = documented(document.components.schemas.Import!) as {
    properties: Record<string, { properties?: Record<string, unknown> }>;
    required: string[];
  };

  it('names every counter an import of either kind reports', () => {
    const counters = Object.keys(importSchema.properties.counts?.properties ?? {});
    expect(counters).toEqual(
      expect.arrayContaining([
        'rowsRead',
        'rejected',
        'warnings',
        ...PROFILE_COUNTERS,
        ...TRANSACTION_COUNTERS,
      ]),
    );
  });

  it('carries the live progress and the warnings report', () => {
    expect(importSchema.required).toEqual(expect.arrayContaining(['progress', 'counts', 'kind']));
    expect(Object.keys(importSchema.properties.progress?.properties ?? {})).toEqual(
      expect.arrayContaining(['rowsDone', 'rowsPerSecond', 'secondsLeft']),
    );
    expect(Object.keys(importSchema.properties.reports?.properties ?? {})).toContain('warnings');
  });
});
