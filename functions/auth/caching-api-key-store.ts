import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';

/**
 * Remembers found keys for `ttlMs` per container, so a warm authorizer answers without a DynamoDB
 * read; a revoked key stops working within `ttlMs`. Unknown keys are never cached: a key created a
 * moment ago works at once.
 */
export class CachingApiKeyStore implements ApiKeyStore {
  private readonly cache = new Map<string, { record: ApiKeyRecord; until: number }>();

  constructor(
    private readonly inner: ApiKeyStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 1000,
  ) {}

  async get(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const hit = this.cache.get(keyHash);
    if (hit && hit.until > this.now()) return hit.record;
    this.cache.delete(keyHash);
    const record = await this.inner.get(keyHash);
    if (record) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(keyHash, { record, until: this.now() + this.ttlMs });
    }
    return record;
  }

  create(record: ApiKeyRecord): Promise<void> {
    return this.inner.create(record);
  }
}
