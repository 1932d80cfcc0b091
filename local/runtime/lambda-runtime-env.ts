/** What one container needs to know to build the variables Lambda itself sets. */
export interface LambdaRuntimeInput {
  readonly functionName: string;
  readonly region: string;
  readonly memoryMb: number;
  /** The container's credentials: locally a key the access proxy maps back to the function. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Where X-Ray segments go (Lambda's daemon address); locally nothing listens. */
  readonly xrayDaemonAddress?: string;
}

/**
 * The variables the Lambda Node.js 22 runtime sets in every function's environment, besides those of
 * the template (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * The per-invocation `_X_AMZN_TRACE_ID` is set by the bootstrap for each event, as the runtime does.
 */
export const lambdaRuntimeEnvironment = (input: LambdaRuntimeInput): Record<string, string> => ({
  AWS_REGION: input.region,
  AWS_DEFAULT_REGION: input.region,
  AWS_ACCESS_KEY_ID: input.accessKeyId,
  AWS_SECRET_ACCESS_KEY: input.secretAccessKey,
  AWS_SESSION_TOKEN: input.sessionToken,
  AWS_LAMBDA_FUNCTION_NAME: input.functionName,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memoryMb),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${input.functionName}`,
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: input.xrayDaemonAddress ?? '127.0.0.1:2000',
  _HANDLER: 'index.handler',
  LAMBDA_TASK_ROOT: '/var/task',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
  PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
});
