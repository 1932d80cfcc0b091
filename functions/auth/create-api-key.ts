import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Scope } from '../../lib/definition';
import { documentClient } from '../shared/aws-clients';
import { generateApiKey, hashApiKey } from './api-key';
import { DynamoDbApiKeyStore } from './dynamodb-api-key-store';

export interface CreateApiKeyInput {
  readonly tableName: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly client?: DynamoDBDocumentClient;
}

/** Creates an API key and stores its hash; the key itself is returned once and never stored. */
export const createApiKey = async (input: CreateApiKeyInput): Promise<{ key: string; keyId: string }> => {
  const store = new DynamoDbApiKeyStore(input.client ?? documentClient(), input.tableName);
  const { key, keyId } = generateApiKey();
  await store.create({
    keyHash: hashApiKey(key),
    keyId,
    name: input.name,
    scopes: [...input.scopes],
    createdAt: new Date().toISOString(),
  });
  return { key, keyId };
};
