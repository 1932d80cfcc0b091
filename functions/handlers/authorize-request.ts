import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { resourceEnv } from '../../lib/definition';
import type { AuthContext } from '../auth/auth-context';
import { authorize } from '../auth/authorize';
import { CachingApiKeyStore } from '../auth/caching-api-key-store';
import { DynamoDbApiKeyStore } from '../auth/dynamodb-api-key-store';
import { documentClient } from '../shared/aws-clients';
import { observed } from '../shared/observed';
import { requiredEnv } from '../shared/settings';

/** Found keys are remembered for a minute per container: revoking a key takes effect within a minute. */
const store = new CachingApiKeyStore(
  new DynamoDbApiKeyStore(documentClient(), requiredEnv(resourceEnv.table('apiKeys'))),
  60_000,
);

/**
 * Always authorizes and passes what it found as context: the route's middleware answers 401 or 403
 * in the API's own error shape (API Gateway's own denials have another shape and no 401 for a bad key).
 */
export const handler = observed(
  async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthContext>> => {
    const header = event.headers?.authorization ?? event.headers?.Authorization;
    return { isAuthorized: true, context: await authorize(store, header) };
  },
);
