import type { Scope } from '../../lib/definition';

export interface ApiKeyRecord {
  readonly keyHash: string;
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export interface ApiKeyStore {
  get(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key; fails if the hash already exists. */
  create(record: ApiKeyRecord): Promise<void>;
}
