import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from './api-key';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';
import { hasScope } from './auth-context';
import { authorize } from './authorize';

const memoryStore = (records: ApiKeyRecord[]): ApiKeyStore => ({
  get: async (hash) => records.find((r) => r.keyHash === hash),
  create: async () => {},
});

describe('authorize', () => {
  const { key, keyId } = generateApiKey();
  const store = memoryStore([
    { keyHash: hashApiKey(key), keyId, name: 't', scopes: ['read'], createdAt: 'x' },
  ]);

  it('resolves a stored key to its scopes', async () => {
    expect(await authorize(store, `Bearer ${key}`)).toEqual({ authenticated: true, keyId, scopes: 'read' });
  });

  it('tells a missing key from an invalid one', async () => {
    expect(await authorize(store, undefined)).toEqual({ authenticated: false, reason: 'missing' });
    expect(await authorize(store, 'Basic abc')).toEqual({ authenticated: false, reason: 'missing' });
    expect(await authorize(store, `Bearer ${generateApiKey().key}`)).toEqual({
      authenticated: false,
      reason: 'invalid',
    });
    expect(await authorize(store, 'Bearer rk_short')).toEqual({ authenticated: false, reason: 'invalid' });
  });

  it('lets admin do everything and keeps read and write apart', () => {
    expect(hasScope(['admin'], 'write')).toBe(true);
    expect(hasScope(['read'], 'write')).toBe(false);
    expect(hasScope(['write'], 'read')).toBe(false);
  });
});
