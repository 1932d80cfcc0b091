import { cleanText, squashName } from './clean-text';
import {
  PROFILE_FIELDS,
  profileColumnAliases,
  TRANSACTION_FIELDS,
  transactionColumnAliases,
} from './column-aliases';
import type { Manifest } from './manifest';

/** What kind of record a file holds. */
/** What a file holds; the same names as an import's kind. */
export type IngestKind = 'profiles' | 'transactions';

export interface ColumnReport {
  /** 1-based column position. */
  readonly column: number;
  readonly name: string;
  /** Field (`email`, `attributes.tier`), or undefined when the column is ignored. */
  readonly field?: string;
  readonly by: 'manifest' | 'alias' | 'attribute' | 'unmapped';
}

export interface ColumnPlan {
  readonly kind: IngestKind;
  /** Field per column position, undefined for an ignored column. */
  readonly targets: readonly (string | undefined)[];
  readonly columns: readonly ColumnReport[];
  /** Names of columns read into no field (reported). */
  readonly ignored: readonly string[];
  /** Problems that make the whole file unreadable (two columns for one field, a bad manifest mapping). */
  readonly errors: readonly string[];
  /** Things worth reporting that do not stop the file (a manifest column that is not in the file). */
  readonly warnings: readonly string[];
}

const buildLookup = (fields: readonly string[], aliases: Readonly<Record<string, readonly string[]>>) => {
  const map = new Map<string, string>();
  for (const field of fields) {
    map.set(squashName(field), field);
    for (const alias of aliases[field] ?? []) map.set(squashName(alias), field);
  }
  return map;
};

const LOOKUPS: Record<IngestKind, Map<string, string>> = {
  profiles: buildLookup(PROFILE_FIELDS, profileColumnAliases),
  transactions: buildLookup(TRANSACTION_FIELDS, transactionColumnAliases),
};

/** The field a column name matches in the alias table of `kind`, if any (`E-mail` -> `email`). */
export const fieldForColumn = (name: string, kind: IngestKind): string | undefined =>
  LOOKUPS[kind].get(squashName(name));

const ATTRIBUTE_COLUMN = /^attributes?\.(.+)$/i;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** An attribute name the profile schema accepts: `Loyalty Tier` -> `Loyalty_Tier`; undefined if none is left. */
export const attributeNameFor = (name: string): string | undefined => {
  const cleaned = cleanText(name)
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[_.-]+|[_.-]+$/g, '')
    .slice(0, 64);
  return ATTRIBUTE_NAME.test(cleaned) ? cleaned : undefined;
};

type Resolved = { field: string; by: ColumnReport['by'] } | { field: undefined; by: ColumnReport['by'] };

/** Reads a manifest target (`email`, `First Name`, `attributes.tier`, `ignore`). */
const manifestTarget = (target: string, kind: IngestKind): string | null | undefined => {
  if (squashName(target) === 'ignore') return null;
  const attribute = ATTRIBUTE_COLUMN.exec(target.trim())?.[1];
  if (attribute !== undefined) return ATTRIBUTE_NAME.test(attribute) ? `attributes.${attribute}` : undefined;
  return fieldForColumn(target, kind);
};

export interface ColumnResolver {
  resolve(name: string, position: number): Resolved;
  readonly errors: readonly string[];
  readonly unusedManifestColumns: () => string[];
}

/** Resolves column names for one file: manifest first, then `attributes.x`, then aliases, then the unmapped rule. */
export const columnResolver = (kind: IngestKind, manifest: Manifest | undefined): ColumnResolver => {
  const errors: string[] = [];
  const fromManifest = new Map<string, { name: string; field: string | null }>();
  for (const [name, target] of Object.entries(manifest?.columns ?? {})) {
    const field = manifestTarget(target, kind);
    if (field === undefined) {
      errors.push(
        `the manifest maps column ${name} to ${target}, which is not a ${kind === 'profiles' ? 'profile' : 'transaction'} field`,
      );
      continue;
    }
    fromManifest.set(squashName(name), { name, field });
  }
  const used = new Set<string>();
  const keepUnmapped = manifest?.unmappedColumns === 'attributes';
  return {
    errors,
    unusedManifestColumns: () =>
      [...fromManifest.entries()].filter(([key]) => !used.has(key)).map(([, v]) => v.name),
    resolve(rawName: string, position: number): Resolved {
      const name = cleanText(rawName);
      const key = squashName(name);
      const mapped = fromManifest.get(key);
      if (mapped) {
        used.add(key);
        return mapped.field === null
          ? { field: undefined, by: 'manifest' }
          : { field: mapped.field, by: 'manifest' };
      }
      const attribute = ATTRIBUTE_COLUMN.exec(name)?.[1];
      if (attribute !== undefined) {
        const attributeName = attributeNameFor(attribute);
        if (attributeName) return { field: `attributes.${attributeName}`, by: 'attribute' };
      }
      const field = key === '' ? undefined : LOOKUPS[kind].get(key);
      if (field) return { field, by: 'alias' };
      if (keepUnmapped && key !== '') {
        return { field: `attributes.${attributeNameFor(name) ?? `column_${position}`}`, by: 'attribute' };
      }
      return { field: undefined, by: 'unmapped' };
    },
  };
};

/**
 * Matches header cells to fields. The manifest's `columns` win over aliases; `attributes.<name>`
 * columns fill custom attributes; other columns become attributes or are ignored and reported, as the
 * manifest's `unmappedColumns` says (default: ignored). Two columns for one field is a file error.
 */
export const planColumns = (header: readonly string[], kind: IngestKind, manifest?: Manifest): ColumnPlan => {
  const resolver = columnResolver(kind, manifest);
  const errors = [...resolver.errors];
  const warnings: string[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, ColumnReport>();
  const columns: ColumnReport[] = [];
  const targets = header.map((raw, index) => {
    const name = cleanText(raw);
    const { field, by } = resolver.resolve(name, index + 1);
    const report: ColumnReport = field
      ? { column: index + 1, name, field, by }
      : { column: index + 1, name, by };
    columns.push(report);
    if (!field) {
      ignored.push(name === '' ? `column ${index + 1} (no name)` : name);
      return undefined;
    }
    const first = seen.get(field);
    if (first) {
      errors.push(
        `columns ${first.column} (${first.name}) and ${index + 1} (${name}) both map to ${field}: ` +
          `map one elsewhere or to ignore in the manifest's columns`,
      );
    } else seen.set(field, report);
    if (by === 'attribute' && !ATTRIBUTE_COLUMN.test(name) && field !== `attributes.${name}`) {
      warnings.push(`column ${index + 1} (${name}) kept as ${field}`);
    }
    return field;
  });
  for (const name of resolver.unusedManifestColumns()) {
    warnings.push(`the manifest names column ${name}, which the file does not have`);
  }
  return { kind, targets, columns, ignored, errors, warnings };
};

export type MappedFields = { readonly fields: Record<string, string> } | { readonly reason: string };

const hasText = (cell: string) => cell.length > 0 && cell.trim().length > 0;

/**
 * One record's cells as fields (field -> cell text) by a plan. Empty cells are left out (they say
 * nothing). A record with fewer cells than the header, or extra non-empty cells, is refused.
 */
export const fieldsOfCells = (plan: ColumnPlan, cells: readonly string[]): MappedFields => {
  const { targets } = plan;
  if (cells.length < targets.length) {
    return { reason: `has ${cells.length} fields, the header has ${targets.length}` };
  }
  for (let i = targets.length; i < cells.length; i++) {
    if (hasText(cells[i]!)) return { reason: `has ${cells.length} fields, the header has ${targets.length}` };
  }
  const fields: Record<string, string> = {};
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i];
    const cell = cells[i]!;
    if (target !== undefined && hasText(cell)) fields[target] = cell;
  }
  return { fields };
};

/**
 * Maps records that name their values (JSON Lines) with the same rules as `planColumns`; names
 * resolve once and are cached. Two keys for one field is an error of that record.
 */
export const valuesMapper = (kind: IngestKind, manifest?: Manifest) => {
  const resolver = columnResolver(kind, manifest);
  const cache = new Map<string, string | undefined>();
  const ignored = new Set<string>();
  return {
    errors: resolver.errors,
    /** Keys seen that map to no field. */
    ignored,
    map(values: Readonly<Record<string, string>>): MappedFields {
      const fields: Record<string, string> = {};
      const from: Record<string, string> = {};
      for (const key in values) {
        let field = cache.get(key);
        if (field === undefined && !cache.has(key)) {
          field = resolver.resolve(key, cache.size + 1).field;
          if (cache.size < 10_000) cache.set(key, field);
        }
        if (field === undefined) {
          ignored.add(key);
          continue;
        }
        const value = values[key]!;
        if (!hasText(value)) continue;
        if (from[field] !== undefined)
          return { reason: `keys ${from[field]} and ${key} both map to ${field}` };
        from[field] = key;
        fields[field] = value;
      }
      return { fields };
    },
  };
};
