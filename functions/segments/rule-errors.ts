import type { FieldError } from '../shared/domain-errors';

/** What is wrong with one node of a rule: `path` is its JSON path (`rule.all[1].op`). */
export interface RuleError {
  readonly path: string;
  readonly reason: string;
}

/** At most this many errors are reported: enough to fix a rule, never a flood. */
export const MAX_RULE_ERRORS = 50;

/** Collects the errors of one parse. */
export class RuleErrors {
  readonly list: RuleError[] = [];

  add(path: string, reason: string): undefined {
    if (this.list.length < MAX_RULE_ERRORS) this.list.push({ path, reason });
    return undefined;
  }

  get count(): number {
    return this.list.length;
  }
}

/** The API's error details (`details[]` of a 422). */
export const toFieldErrors = (errors: readonly RuleError[]): FieldError[] =>
  errors.map((e) => ({ path: e.path, message: e.reason }));

/** `a, b or c`. */
export const listOf = (items: readonly string[], last = 'or'): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reports every key of `node` outside `allowed`; true when there were none. */
export const onlyKeys = (
  node: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  what: string,
  errors: RuleErrors,
): boolean => {
  let ok = true;
  for (const key of Object.keys(node))
    if (!allowed.includes(key)) {
      ok = false;
      errors.add(`${path}.${key}`, `unknown key ${key}: ${what} has ${listOf(allowed, 'and')}`);
    }
  return ok;
};
