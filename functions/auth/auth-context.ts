import type { Scope } from '../../lib/definition';

/**
 * What the authorizer hands to every route as `requestContext.authorizer.lambda`. HTTP API
 * simple responses carry flat primitive values only, so scopes travel as a comma-separated string.
 */
export interface AuthContext {
  readonly authenticated: boolean;
  readonly keyId?: string;
  readonly scopes?: string;
  /** Why the request is not authenticated: `missing` or `invalid`. */
  readonly reason?: 'missing' | 'invalid';
}

/** `admin` implies every scope; `read` and `write` are independent. */
export const hasScope = (granted: readonly string[], needed: Scope): boolean =>
  granted.includes('admin') || granted.includes(needed);

export const scopesOf = (ctx: AuthContext | undefined): string[] =>
  (ctx?.scopes ?? '').split(',').filter((s) => s !== '');
