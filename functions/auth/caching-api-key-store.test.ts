import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';
import { CachingApiKeyStore } from './caching-api-key-store';

const record: ApiKeyRecord = { keyHash: 'h', keyId: 'k', name: 'n', scopes: ['read'], createdAt: 'x' };

describe('CachingApiKeyStore', () => {
  it('serves a found key from memory until the TTL passes, and never caches a miss', async () => {
    let reads = 0;
    let stored: ApiKeyRecord | undefined;
    const inner: ApiKeyStore = {
      get: async () => {
        reads++;
        return stored;
      },
      create: async () => {},
    };
    let clock = 0;
    const store = new CachingApiKeyStore(inner, 60_000, () => clock);
    expect(await store.get('h')).toBeUndefined();
    stored = record;
    expect(await store.get('h')).toEqual(record);
    expect(await store.get('h')).toEqual(record);
    expect(reads).toBe(2);
    stored = undefined; // revoked
    clock = 60_001;
    expect(await store.get('h')).toBeUndefined();
    expect(reads).toBe(3);
  });
});
