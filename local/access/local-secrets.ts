import { randomUUID } from 'node:crypto';
import type { WireResponse } from './access-denied';
import type { LocalService } from './access-proxy';

const json = (status: number, body: unknown): WireResponse => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
  body: JSON.stringify(body),
});

/**
 * Secrets Manager's GetSecretValue and DescribeSecret for the stack's secrets, in the service's
 * awsJson 1.1 wire format: no emulator here provides Secrets Manager, and this way a function reads
 * its secret through the same SDK call, by the same ARN variable, as in AWS.
 */
export const localSecrets = (secrets: ReadonlyMap<string, string>): LocalService => {
  const created = Math.floor(Date.now() / 1000);
  const versionId = randomUUID();
  return (request) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1);
    const params = JSON.parse(request.body?.toString('utf8') || '{}') as { SecretId?: string };
    const arn = [...secrets.keys()].find(
      (key) =>
        key === params.SecretId ||
        key
          .split(':')
          .pop()
          ?.replace(/-\w{6}$/, '') === params.SecretId,
    );
    if (!arn)
      return json(400, {
        __type: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      });
    const name = arn
      .split(':')
      .pop()!
      .replace(/-\w{6}$/, '');
    if (operation === 'GetSecretValue')
      return json(200, {
        ARN: arn,
        Name: name,
        SecretString: secrets.get(arn),
        VersionId: versionId,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: created,
      });
    if (operation === 'DescribeSecret') return json(200, { ARN: arn, Name: name, CreatedDate: created });
    return json(400, { __type: 'InvalidRequestException', Message: `${operation} is not available locally` });
  };
};
