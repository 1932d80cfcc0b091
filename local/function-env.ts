import type { FunctionSpec } from '../lib/definition';
import { functionEnvironment, type ResourceRefs } from '../lib/function-environment';
import type { ResolvedSettings } from '../lib/settings';
import { defaultMemoryMb } from './lambda-context';
import { lambdaRuntimeEnvironment } from './runtime/lambda-runtime-env';

/** Where the SDK clients of a function send their calls locally. */
export interface LocalServiceEndpoints {
  readonly dynamodb: string;
  readonly sesv2: string;
  readonly sns: string;
  readonly s3: string;
  readonly sqs: string;
  readonly secretsManager: string;
  readonly scheduler: string;
}

export interface LocalFunctionEnvInput {
  readonly functionName: string;
  readonly region: string;
  readonly refs: ResourceRefs;
  readonly settings: ResolvedSettings;
  readonly endpoints: LocalServiceEndpoints;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string;
  };
}

/**
 * The whole environment of one function's container locally, and nothing else: what the
 * synthesized template sets for it (`functionEnvironment`, the same code the stack calls), what the
 * Lambda runtime adds, and the SDK's own endpoint variables (`AWS_ENDPOINT_URL_<serviceId>`; SES
 * v2's serviceId is `SESv2`) pointing at the access proxy in front of the emulators.
 * `S3_FORCE_PATH_STYLE` belongs to the endpoints: a local endpoint has no per-bucket host names.
 */
export const localFunctionEnvironment = (
  spec: FunctionSpec,
  input: LocalFunctionEnvInput,
): Record<string, string> => ({
  ...functionEnvironment(spec, input.refs, input.settings),
  ...lambdaRuntimeEnvironment({
    functionName: input.functionName,
    region: input.region,
    memoryMb: spec.memoryMb ?? defaultMemoryMb,
    ...input.credentials,
  }),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
  AWS_ENDPOINT_URL_SESV2: input.endpoints.sesv2,
  AWS_ENDPOINT_URL_SNS: input.endpoints.sns,
  AWS_ENDPOINT_URL_S3: input.endpoints.s3,
  AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: input.endpoints.secretsManager,
  AWS_ENDPOINT_URL_SCHEDULER: input.endpoints.scheduler,
  S3_FORCE_PATH_STYLE: 'true',
});
