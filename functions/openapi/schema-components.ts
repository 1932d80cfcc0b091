import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;
export type SchemaIo = 'input' | 'output';

export interface SchemaComponents {
  /**
   * The JSON Schema of `schema` as a request (`input`) or a response (`output`) sees it. Schemas
   * with a `meta({ id })` become `$ref`s to `#/components/schemas/<id>`; the refs are final once
   * `components()` has run.
   */
  schema(schema: z.ZodType, io: SchemaIo): JsonSchema;
  /** `components.schemas`: every named schema met so far, refs rewritten. */
  components(): Record<string, JsonSchema>;
}

/** How every schema of the document is converted: the one place the zod options are chosen. */
export const toJsonSchema = (schema: z.ZodType, io: SchemaIo): JsonSchema =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;

const DEFS_REF = /^#\/\$defs\/(.+)$/;

/**
 * zod converts one schema at a time and puts the named schemas it meets under its own `$defs`,
 * referenced as `#/$defs/<id>`. In an OpenAPI document those refs resolve against the document's
 * root, where there are no `$defs`: they are lifted into `components.schemas` instead.
 *
 * One id can look different to a request and to a response (defaults are required in a response,
 * a transform's result is unknown): then the response keeps the id and the request's form is
 * `<id>Input`, whichever was met first.
 */
export const schemaComponents = (): SchemaComponents => {
  const defs = new Map<string, Partial<Record<SchemaIo, JsonSchema>>>();
  const converted: { readonly io: SchemaIo; readonly json: JsonSchema }[] = [];
  let finished = false;

  return {
    schema: (schema, io) => {
      if (finished) throw new Error('schema() after components(): its refs would never be rewritten');
      const { $schema: _dialect, $defs, ...json } = toJsonSchema(schema, io);
      for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
        const forms = defs.get(id) ?? {};
        const known = forms[io];
        if (known === undefined) {
          forms[io] = def;
          defs.set(id, forms);
          converted.push({ io, json: def });
        } else if (!isDeepStrictEqual(known, def)) {
          throw new Error(`two different schemas carry the id ${id}`);
        }
      }
      converted.push({ io, json });
      return json;
    },
    components: () => {
      finished = true;
      // Names depend on every form met, and are decided before any ref is rewritten in place.
      const names = new Map<string, Record<SchemaIo, string>>();
      for (const [id, forms] of defs) {
        const differs = forms.input && forms.output && !isDeepStrictEqual(forms.input, forms.output);
        names.set(id, { output: id, input: differs ? `${id}Input` : id });
      }
      const rewrite = (node: unknown, io: SchemaIo): void => {
        if (Array.isArray(node)) for (const item of node) rewrite(item, io);
        else if (node !== null && typeof node === 'object') {
          const object = node as JsonSchema;
          for (const [key, value] of Object.entries(object)) {
            const id = key === '$ref' && typeof value === 'string' ? DEFS_REF.exec(value)?.[1] : undefined;
            if (id === undefined) rewrite(value, io);
            else {
              const name = names.get(id)?.[io];
              if (!name) throw new Error(`a schema refers to #/$defs/${id}, which zod did not emit`);
              object.$ref = `#/components/schemas/${name}`;
            }
          }
        }
      };
      for (const { io, json } of converted) rewrite(json, io);
      const schemas: Record<string, JsonSchema> = {};
      for (const id of [...defs.keys()].sort()) {
        const forms = defs.get(id)!;
        for (const io of ['output', 'input'] as const) {
          const json = forms[io];
          if (json) schemas[names.get(id)![io]] ??= json;
        }
      }
      return schemas;
    },
  };
};
