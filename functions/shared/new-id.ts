import { randomBytes } from 'node:crypto';

/**
 * A new id for something marketers define: `<prefix>_` and 16 letters and digits from 12 random
 * bytes (`seg_…`, `tpl_…`, `cmp_…`), unguessable and never reused.
 */
export const newId = (prefix: string): string =>
  `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, '').slice(0, 16)}`;
