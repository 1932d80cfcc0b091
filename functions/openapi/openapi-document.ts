import { z } from 'zod';
import { type HttpRoute, httpRoutes } from '../../lib/definition';
import { unsubscribeQuerySchema } from '../campaigns/unsubscribe-query';
import { eventBatchSchema, eventResultSchema } from '../events/event-input';
import { createImportRequestSchema, createImportResponseSchema } from '../imports/create-import-request';
import { importRecordSchema } from '../imports/import-record-schema';
import { listImportsQuerySchema } from '../imports/list-imports-query';
import { consentNoticeSchema } from '../profiles/consent-notices';
import { listProfilesQuerySchema } from '../profiles/list-profiles-query';
import { profileInputSchema, profilePatchSchema, profileSchema } from '../profiles/profile';
import { listScoringRunsQuerySchema } from '../scoring-job/list-scoring-runs-query';
import { scoringRunRequestSchema } from '../scoring-job/request-scoring-run';
import { analyticsQuerySchema } from '../scoring-job/run-for-analytics';
import { campaignDocs } from './campaign-docs';
import type { RouteDoc } from './route-doc';
import { campaignRunSchema, runDocs } from './run-docs';
import { type JsonSchema, schemaComponents } from './schema-components';
import { segmentDocs } from './segment-docs';
import { suppressionDocs } from './suppression-docs';
import { templateDocs } from './template-docs';

const profileWriteSchema = profileSchema
  .extend({ notices: z.array(consentNoticeSchema).optional() })
  .meta({ id: 'WrittenProfile' });
const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  })
  .meta({ id: 'Error' });

const pageSchema = z
  .object({ items: z.array(profileSchema), cursor: z.string().optional() })
  .meta({ id: 'ProfilePage' });
const countsSchema = z.record(z.string(), z.unknown());
const scoringRunSchema = z
  .object({
    runId: z.string(),
    status: z.enum(['queued', 'running', 'writing', 'succeeded', 'failed']),
    trigger: z.enum(['api', 'schedule']),
    requestedAt: z.string(),
    asOf: z.string(),
    timeUnit: z.enum(['day', 'week']),
    attempts: z.number(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    durationMs: z.number().optional(),
    data: countsSchema.optional(),
    fit: countsSchema.optional(),
    counts: countsSchema.optional(),
    backTest: countsSchema.optional(),
    drift: z.object({ flagged: z.boolean(), reasons: z.array(z.string()) }).optional(),
    progress: countsSchema.optional(),
    timingsMs: countsSchema.optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'ScoringRun' });
// A run of the reactivation function the win-back preset replaced, as it was recorded.
const legacyRunSchema = z
  .object({
    runId: z.string(),
    campaign: z.literal('reactivation'),
    status: z.enum(['running', 'completed']),
    scheduledTime: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    attempts: z.number(),
    counts: countsSchema.optional(),
  })
  .meta({ id: 'ReactivationRun' });

const ifMatch = {
  name: 'If-Match',
  description: 'The ETag of the version the change is based on; 412 if stale.',
};
const ifNoneMatch = { name: 'If-None-Match', description: '`*`: create only; 412 if the profile exists.' };

const docs: Record<string, RouteDoc> = {
  ...segmentDocs,
  ...templateDocs,
  ...suppressionDocs,
  ...campaignDocs,
  ...runDocs,
  'put-profile PUT': {
    requestBody: { schema: profileInputSchema, mediaTypes: ['application/json'] },
    success: {
      status: 200,
      description:
        'Replaced (201 when created), with its ETag; `notices` lists consent the consent rule kept (an unsubscribe is undone only by a newer grant).',
      schema: profileWriteSchema,
    },
    errors: [400, 409, 412, 413, 415, 422],
    headers: [ifMatch, ifNoneMatch],
  },
  'patch-profile PATCH': {
    requestBody: {
      schema: profilePatchSchema,
      mediaTypes: ['application/json', 'application/merge-patch+json'],
    },
    success: {
      status: 200,
      description: 'The changed profile, with its ETag, and `notices` of consent the consent rule kept.',
      schema: profileWriteSchema,
    },
    errors: [400, 404, 409, 412, 413, 415, 422],
    headers: [ifMatch],
  },
  'get-profile GET': {
    success: { status: 200, description: 'The profile, with its ETag.', schema: profileSchema },
    errors: [404, 422],
  },
  'delete-profile DELETE': {
    success: { status: 204, description: 'Erased: the profile, its identifiers and its events.' },
    errors: [404, 412, 422],
    headers: [ifMatch],
  },
  'list-profiles GET': {
    query: listProfilesQuerySchema,
    success: {
      status: 200,
      description: 'A page of profiles, or the look-up result (0 or 1 items).',
      schema: pageSchema,
    },
    errors: [422],
  },
  'get-import GET': {
    success: {
      status: 200,
      description: 'Status, counts and report locations of an import.',
      schema: importRecordSchema,
    },
    errors: [404, 422],
  },
  'list-imports GET': {
    query: listImportsQuerySchema,
    success: {
      status: 200,
      description: 'Recent imports, newest first, with live progress (rows done, rate, time left).',
      schema: z.object({ items: z.array(importRecordSchema) }),
    },
    errors: [422],
  },
  'create-import POST': {
    requestBody: {
      schema: createImportRequestSchema,
      mediaTypes: ['application/json'],
    },
    success: {
      status: 201,
      description: 'The manifest is stored as the sidecar of `key`; upload the file there next.',
      schema: createImportResponseSchema,
    },
    errors: [400, 413, 415, 422],
  },
  'post-events POST': {
    requestBody: { schema: eventBatchSchema, mediaTypes: ['application/json'] },
    success: {
      status: 200,
      description:
        'One result per event: accepted, duplicate (same eventId seen before) or rejected with reasons.',
      schema: eventResultSchema,
    },
    errors: [400, 413, 415, 422],
  },
  'get-quality GET': {
    success: {
      status: 200,
      description: 'The data quality report.',
      schema: z.record(z.string(), z.unknown()),
    },
    errors: [],
  },
  'create-scoring-run POST': {
    summary: 'Request a scoring run',
    requestBody: { schema: scoringRunRequestSchema, mediaTypes: ['application/json'] },
    success: {
      status: 202,
      description: 'The run is queued; follow it at /scoring/runs/{runId} (also the Location header).',
      schema: scoringRunSchema,
    },
    errors: [400, 413, 415, 422],
    headers: [{ name: 'Location', description: 'The path of the new run.' }],
  },
  'list-scoring-runs GET': {
    query: listScoringRunsQuerySchema,
    success: {
      status: 200,
      description: 'Scoring runs, newest first (a summary of each).',
      schema: z.object({ runs: z.array(z.record(z.string(), z.unknown())), cursor: z.string().optional() }),
    },
    errors: [422],
  },
  'get-scoring-run GET': {
    success: {
      status: 200,
      description:
        'One scoring run: status and progress, data used, fitted parameters and log-likelihood, counts per segment, tier, band and stage, back-test and drift, timings.',
      schema: scoringRunSchema,
    },
    errors: [404, 422],
  },
  'get-rfm-grid GET': {
    query: analyticsQuerySchema,
    success: {
      status: 200,
      description: 'The 5 x 5 recency-by-frequency grid: customers and revenue per cell.',
      schema: z.record(z.string(), z.unknown()),
    },
    errors: [404, 422],
  },
  'get-value-matrix GET': {
    query: analyticsQuerySchema,
    success: {
      status: 200,
      description: 'Value tiers x churn-risk bands: customers, CLV and the action of each cell.',
      schema: z.record(z.string(), z.unknown()),
    },
    errors: [404, 422],
  },
  'get-run GET': {
    success: {
      status: 200,
      description:
        'A campaign run by its id alone, as GET /campaigns/{campaignId}/runs/{runId} answers it (named in Content-Location); or a run of the retired reactivation function (`reactivation-<time>`), as recorded.',
      schema: z.union([campaignRunSchema, legacyRunSchema]),
    },
    errors: [404, 422],
  },
  'unsubscribe-contact GET': {
    query: unsubscribeQuerySchema,
    summary: 'Unsubscribe confirmation page',
    success: { status: 200, description: 'An HTML page with an Unsubscribe button.', mediaType: 'text/html' },
    errors: [400, 410],
  },
  'unsubscribe-contact POST': {
    query: unsubscribeQuerySchema,
    summary: 'One-click unsubscribe (RFC 8058)',
    description:
      'The body must be `List-Unsubscribe=One-Click` (application/x-www-form-urlencoded), as mailbox providers send it (RFC 8058) and the confirmation page’s form does; anything else is a 400 and unsubscribes no one.',
    success: {
      status: 200,
      description: 'Unsubscribed (also when already). HTML for browsers, JSON otherwise.',
      schema: z.object({ unsubscribed: z.boolean(), channel: z.enum(['email', 'sms']) }),
    },
    errors: [400, 410],
  },
  'get-openapi GET': {
    success: { status: 200, description: 'This document.', schema: z.record(z.string(), z.unknown()) },
    errors: [],
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request (bad JSON, bad header, bad token).',
  401: 'Missing or invalid API key.',
  403: 'The API key lacks the scope.',
  404: 'Not found.',
  409: 'Conflicts with the current state (an identifier another profile holds, a name taken, a segment in use); details say which.',
  412: 'The precondition (If-Match / If-None-Match) failed.',
  413: 'The body is too large.',
  410: 'The link has expired (UNSUBSCRIBE_LINK_DAYS after its message); the page says how to get a new one.',
  415: 'Unsupported content type.',
  422: 'Validation failed; details name each field.',
};

const docFor = (route: HttpRoute): RouteDoc => {
  const doc = docs[`${route.fn.name} ${route.method}`];
  if (!doc) throw new Error(`no OpenAPI description for ${route.fn.name} ${route.method} ${route.path}`);
  return doc;
};

/** One query parameter per property of the query schema, its description lifted to the parameter. */
const queryParameters = (query: JsonSchema) => {
  const required = (query.required ?? []) as string[];
  return Object.entries((query.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, { description, ...schema }]) => ({
      name,
      in: 'query',
      ...(required.includes(name) ? { required: true } : {}),
      ...(description === undefined ? {} : { description }),
      schema,
    }),
  );
};

const operationIdOf = (route: HttpRoute) =>
  route.fn.triggers.filter((t) => t.kind === 'http').length > 1
    ? `${route.fn.name}-${route.method.toLowerCase()}`
    : route.fn.name;

/** The OpenAPI 3.1 document, built from the definition's routes and the zod schemas. */
export const openApiDocument = (serverUrl?: string): Record<string, unknown> => {
  const schemas = schemaComponents();
  const errorRef = schemas.schema(errorSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of httpRoutes()) {
    const doc = docFor(route);
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const errors = [...doc.errors, ...(route.auth === 'apiKey' ? [401, 403] : [])].sort();
    const { success, requestBody } = doc;
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: operationIdOf(route),
      summary: doc.summary ?? route.fn.description,
      ...(doc.description ? { description: doc.description } : {}),
      ...(route.auth === 'apiKey'
        ? { security: [{ apiKey: [] }], 'x-required-scope': route.scope }
        : { security: [] }),
      parameters: [
        ...pathParams,
        ...(doc.query ? queryParameters(schemas.schema(doc.query, 'input')) : []),
        ...(doc.headers ?? []).map((h) => ({
          name: h.name,
          in: 'header',
          description: h.description,
          schema: { type: 'string' },
        })),
      ],
      ...(requestBody
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                requestBody.mediaTypes.map((m) => [
                  m,
                  { schema: schemas.schema(requestBody.schema, 'input') },
                ]),
              ),
            },
          }
        : {}),
      responses: {
        [String(success.status)]: {
          description: success.description,
          ...(success.schema || success.mediaType
            ? {
                content: {
                  [success.mediaType ?? 'application/json']: success.schema
                    ? { schema: schemas.schema(success.schema, 'output') }
                    : {},
                },
              }
            : {}),
        },
        ...Object.fromEntries(
          errors.map((status) => [
            String(status),
            {
              description: ERROR_TEXT[status] ?? 'Error',
              content: { 'application/json': { schema: errorRef } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rekindle API',
      version: '0.1.0',
      description:
        'Customer profiles, drop-folder imports and campaign runs. Every error has the shape ' +
        '{"error":{"code","message","details":[{"path","message"}]}}. Authenticate with "Authorization: Bearer <API key>".',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A Rekindle API key (rk_...).' },
      },
      schemas: schemas.components(),
    },
  };
};
