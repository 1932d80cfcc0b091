import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The stack's defaults for functions that do not set them (lib/constructs/rekindle-function.ts). */
export const defaultTimeoutSeconds = 10;
export const defaultMemoryMb = 256;

export interface LambdaContextInput {
  readonly functionName: string;
  readonly region: string;
  readonly accountId: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly startedAt?: number;
}

/** A Lambda context as the Node.js runtime passes it. */
export const lambdaContext = (input: LambdaContextInput): Context => {
  const deadline = (input.startedAt ?? Date.now()) + input.timeoutSeconds * 1000;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (): never => {
    throw new Error('Callback-style context methods are not supported by the Node.js 22 runtime');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${input.region}:${input.accountId}:function:${input.functionName}`,
    memoryLimitInMB: String(input.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};
