import type { Preconditions } from '../profiles/profile-service';
import { badRequest } from './http-error';

/** The strong ETag of a profile version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

/** Reads If-Match (a version, quoted or not, weak or strong) and If-None-Match: *. */
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
