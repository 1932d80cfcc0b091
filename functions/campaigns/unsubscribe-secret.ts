import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { resourceEnv } from '../../lib/definition';

let cached: Promise<string> | undefined;

/**
 * The key that signs unsubscribe links: from Secrets Manager in AWS (UNSUBSCRIBE_SECRET_ARN),
 * straight from UNSUBSCRIBE_SECRET locally. Read once per container.
 */
export const unsubscribeSecret = (): Promise<string> => {
  cached ??= (async () => {
    const direct = process.env[resourceEnv.unsubscribeSecret];
    if (direct) return direct;
    const arn = process.env[resourceEnv.unsubscribeSecretArn];
    if (!arn) throw new Error(`set ${resourceEnv.unsubscribeSecretArn} or ${resourceEnv.unsubscribeSecret}`);
    const { SecretString } = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: arn }),
    );
    if (!SecretString) throw new Error('the unsubscribe secret is empty');
    return SecretString;
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
};
