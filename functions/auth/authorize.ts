import { bearerToken, hashApiKey, parseApiKey, sameHash } from './api-key';
import type { ApiKeyStore } from './api-key-store';
import type { AuthContext } from './auth-context';

/** Resolves an Authorization header to who is calling and with which scopes. */
export const authorize = async (
  store: ApiKeyStore,
  authorization: string | undefined,
): Promise<AuthContext> => {
  const token = bearerToken(authorization);
  if (!token) return { authenticated: false, reason: 'missing' };
  if (!parseApiKey(token)) return { authenticated: false, reason: 'invalid' };
  const hash = hashApiKey(token);
  const record = await store.get(hash);
  if (!record || record.revokedAt || !sameHash(record.keyHash, hash))
    return { authenticated: false, reason: 'invalid' };
  return { authenticated: true, keyId: record.keyId, scopes: record.scopes.join(',') };
};
