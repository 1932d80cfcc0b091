import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../lib/definition';
import { openApiDocument } from './openapi-document';

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
  };

  it('is OpenAPI 3.1 and documents every route of the definition, and nothing else', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = httpRoutes().map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('marks API-key routes as secured with 401 and 403 answers', () => {
    for (const route of httpRoutes()) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      if (route.auth === 'apiKey') {
        expect(op.security).toEqual([{ apiKey: [] }]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
      } else expect(op.security).toEqual([]);
    }
  });
});
