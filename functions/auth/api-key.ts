import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `rk_<keyId>_<secret>`: the key id is public (it names the key in logs and
 * listings), the secret is 32 random bytes. Only the SHA-256 of the whole key is stored.
 */
const KEY_PATTERN = /^rk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const generateApiKey = (): { key: string; keyId: string } => {
  const keyId = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const key = `rk_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { key, keyId };
};

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export const parseApiKey = (key: string): { keyId: string } | undefined => {
  const match = KEY_PATTERN.exec(key);
  return match ? { keyId: match[1]! } : undefined;
};

/** The key from an `Authorization: Bearer <key>` header, if the header has that form. */
export const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
};

/** Constant-time comparison of two hex digests. */
export const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
