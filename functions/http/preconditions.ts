import type { Preconditions } from '../profiles/profile-service';
import { PreconditionError } from '../shared/domain-errors';
import { badRequest } from './http-error';

/** The strong ETag of a profile version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Reads If-Match (a version ETag) and If-None-Match: *. If-Match compares strongly (RFC 9110
 * 13.1.1): a weak ETag (`W/"1"`) never matches, so it is the client's 412, not a match.
 */
export const preconditionsFrom = (headers: Readonly<Record<string, string>>): Preconditions => {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  const out: { ifMatch?: number; ifNoneMatch?: boolean } = {};
  if (ifMatch !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch);
    if (!match)
      throw badRequest('If-Match must be the ETag of a profile version.', [
        { path: 'if-match', message: 'is not a version ETag' },
      ]);
    if (/^\s*W\//.test(ifMatch))
      throw new PreconditionError('If-Match compares strongly: a weak ETag (W/"…") never matches.');
    out.ifMatch = Number(match[1]);
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*')
      throw badRequest('Only "If-None-Match: *" is supported.', [
        { path: 'if-none-match', message: 'must be *' },
      ]);
    out.ifNoneMatch = true;
  }
  return out;
};
