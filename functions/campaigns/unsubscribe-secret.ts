import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { resourceEnv } from '../../lib/definition';

let cached: Promise<string> | undefined;

/**
 * The key that signs unsubscribe links, from Secrets Manager by the ARN in UNSUBSCRIBE_SECRET_ARN
 * (locally the runner answers GetSecretValue in Secrets Manager's wire format). Read once per
 * container.
 */
export const unsubscribeSecret = (): Promise<string> => {
  cached ??= (async () => {
    const arn = process.env[resourceEnv.unsubscribeSecretArn];
    if (!arn) throw new Error(`environment variable ${resourceEnv.unsubscribeSecretArn} is not set`);
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
