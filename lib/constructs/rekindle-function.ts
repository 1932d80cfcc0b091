import { Duration, RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundlingOptions, entryPathOf, projectRoot } from '../bundling';
import type { FunctionSpec } from '../definition';
import { definitionTags, resourceName } from '../naming';

export const defaultTimeoutSeconds = 10;
export const defaultMemoryMb = 256;
export const functionLogRetention = RetentionDays.ONE_MONTH;

export interface RekindleFunctionProps {
  readonly stage: string;
  readonly spec: FunctionSpec;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * One function of the definition: NodejsFunction bundled by the local esbuild (ESM, minified, source
 * maps), Node 22 on ARM, X-Ray tracing, its own log group with retention and its own role that
 * starts with nothing but writing to that log group. Access is granted afterwards from `access`.
 */
export class RekindleFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: RekindleFunctionProps) {
    super(scope, id);
    this.spec = props.spec;
    const functionName = resourceName(props.stage, props.spec.name);

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: functionLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Rekindle ${props.stage}: role of ${props.spec.name}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.spec.description,
      entry: entryPathOf(props.spec),
      handler: 'handler',
      projectRoot,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(props.spec.timeoutSeconds ?? defaultTimeoutSeconds),
      memorySize: props.spec.memoryMb ?? defaultMemoryMb,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment: { ...props.environment },
      bundling: bundlingOptions,
    });
    Tags.of(this).add(definitionTags.function, props.spec.name);

    // Tracing.ACTIVE has just put the X-Ray statement into the role's default policy.
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) has Resource "*": X-Ray has no resource-level permissions. Every other grant of this policy is resource-scoped (asserted by lib/rekindle-stack.test.ts).',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: package.json engines, the local runner and the tests run on Node 22; the runtime moves with them, not before.',
    });
  }
}
