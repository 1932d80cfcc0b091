import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionSpec } from '../../lib/definition';
import { deploymentHookType, stackNameOf } from '../../lib/naming';
import type { FunctionInvoker } from '../function-invoker';

// CloudFormation's side of the `deployment` triggers: each hook's function gets the Create request
// of a Lambda-backed custom resource, in CloudFormation's wire format, and must PUT its answer to
// the request's ResponseURL (served here, as S3's pre-signed URL is in AWS). A FAILED answer, a
// malformed one or none within the timeout fails the start, as it would roll back the deployment.

export interface DeploymentHookBinding {
  readonly id: string;
  readonly version: string;
  readonly fn: FunctionSpec;
}

export interface DeploymentHookOptions {
  readonly hooks: readonly DeploymentHookBinding[];
  readonly invoker: FunctionInvoker;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  /** How long to wait for an answer (the custom resource's service timeout in AWS: 5 minutes). */
  readonly timeoutMs?: number;
}

export interface HookAnswer {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Runs every hook once, in definition order; resolves with their answers or rejects with the first failure. */
export const runDeploymentHooks = async (
  options: DeploymentHookOptions,
): Promise<Map<string, HookAnswer>> => {
  const answers = new Map<string, HookAnswer>();
  if (options.hooks.length === 0) return answers;
  const waiting = new Map<string, { resolve: (a: HookAnswer) => void; reject: (e: Error) => void }>();
  const server = createServer((req, res) => {
    void (async () => {
      const requestId = decodeURIComponent((req.url ?? '').replace(/^\/responses\//, ''));
      const waiter = waiting.get(requestId);
      // The pre-signed URL is signed for a PUT with no declared type: S3 refuses anything else.
      const type = req.headers['content-type'];
      if (!waiter || req.method !== 'PUT' || (type !== undefined && type !== '')) {
        res.writeHead(403).end('SignatureDoesNotMatch');
        return;
      }
      const body = await readBody(req);
      res.writeHead(200).end();
      try {
        const answer = JSON.parse(body) as HookAnswer & { RequestId?: string };
        if (answer.RequestId !== requestId || !answer.PhysicalResourceId || !answer.Status)
          throw new Error(`a malformed answer: ${body.slice(0, 300)}`);
        waiter.resolve(answer);
      } catch (error) {
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stackName = stackNameOf(options.stage);
  const stackId = `arn:aws:cloudformation:${options.region}:${options.accountId}:stack/${stackName}/local`;
  try {
    for (const hook of options.hooks) {
      const requestId = randomUUID();
      const logicalId = `DeploymentHooks${hook.id.replace(/(^|-)(\w)/g, (_, _d, c: string) => c.toUpperCase())}`;
      const answered = new Promise<HookAnswer>((resolve, reject) => {
        waiting.set(requestId, { resolve, reject });
        setTimeout(
          () => reject(new Error(`no answer within ${(options.timeoutMs ?? 300_000) / 1000} s`)),
          options.timeoutMs ?? 300_000,
        ).unref();
      });
      const event = {
        RequestType: 'Create',
        ServiceToken: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.invoker.functionName(hook.fn)}`,
        ResponseURL: `http://127.0.0.1:${port}/responses/${encodeURIComponent(requestId)}`,
        StackId: stackId,
        RequestId: requestId,
        LogicalResourceId: logicalId,
        ResourceType: deploymentHookType,
        ResourceProperties: { ServiceToken: 'local', Hook: hook.id, Version: hook.version },
      };
      // CloudFormation invokes asynchronously and reads only the answer; an invocation that fails
      // before answering leaves it waiting, so a failed invoke is a failed hook here too.
      const invoked = options.invoker.invoke(hook.fn, event).then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => {
          throw new Error(`the function failed before answering: ${String(error)}`);
        },
      );
      const answer = await Promise.race([answered, invoked]).catch((error: Error) => {
        throw new Error(`Deployment hook ${hook.id} (${hook.fn.name}): ${error.message}`);
      });
      if (answer.Status !== 'SUCCESS')
        throw new Error(`Deployment hook ${hook.id} (${hook.fn.name}) failed: ${answer.Reason ?? ''}`);
      answers.set(hook.id, answer);
    }
    return answers;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
};
