import { CustomResource, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { deploymentHookType, pascal } from '../naming';
import type { RekindleFunction } from './rekindle-function';

/** How long CloudFormation waits for a hook's answer before failing the deployment (its default is an hour). */
export const deploymentHookTimeout = Duration.minutes(5);

/**
 * A custom resource for every `deployment` trigger, its ServiceToken the function itself (a
 * Lambda-backed resource: no provider framework, no extra function). CloudFormation sends Create on
 * the first deployment, Update when the hook's `version` changes, Delete with the stack. Its
 * properties are the hook's id and version only: a new deployment with other settings sends
 * nothing, so what a hook seeds is made once and then belongs to the users.
 */
export class DeploymentHooks extends Construct {
  readonly hooks: { readonly id: string; readonly resource: CustomResource }[] = [];

  /**
   * `after`: what a hook may use beyond what its function's environment references (the schedule
   * group is named, not referenced), so CloudFormation makes it before invoking the hook.
   */
  constructor(
    scope: Construct,
    id: string,
    private readonly props: { readonly after: readonly Construct[] },
  ) {
    super(scope, id);
  }

  addFor(fn: RekindleFunction): void {
    for (const trigger of fn.spec.triggers) {
      if (trigger.kind !== 'deployment') continue;
      const resource = new CustomResource(this, pascal(trigger.id), {
        serviceToken: fn.function.functionArn,
        resourceType: deploymentHookType,
        serviceTimeout: deploymentHookTimeout,
        properties: { Hook: trigger.id, Version: trigger.version },
      });
      // The function with its role's policies (a separate resource, which the ARN alone does not
      // wait for): invoked before them, the hook would be refused what its grants allow.
      resource.node.addDependency(fn, ...this.props.after);
      this.hooks.push({ id: trigger.id, resource });
    }
  }
}
