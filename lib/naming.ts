/** Names shared by the stack, its tests and the tools that read the synthesized template. */

export const stackNameOf = (stage: string): string => `Rekindle-${stage}`;

/** `profileImports` -> `profile-imports`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `get-profile` / `profileImports` -> `GetProfile` / `ProfileImports`: construct ids. */
export const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+|(?=[A-Z])/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Physical name of a resource of one stage: `rekindle-<stage>-<kebab name>`. */
export const resourceName = (stage: string, name: string): string => `rekindle-${stage}-${kebab(name)}`;

/** Name of the EventBridge Scheduler schedule of a `schedule` trigger: the trigger id, verbatim, after the prefix. */
export const scheduleNamePrefix = (stage: string): string => `rekindle-${stage}-`;
export const scheduleName = (stage: string, id: string): string => `${scheduleNamePrefix(stage)}${id}`;

/**
 * Tags that carry definition names into the template, so that a template reader maps logical ids
 * back to `functions[].name` and `queues` keys without knowing how CDK builds logical ids.
 */
export const definitionTags = {
  function: 'rekindle:function',
  queue: 'rekindle:queue',
  deadLetterQueueOf: 'rekindle:dead-letter-queue-of',
  table: 'rekindle:table',
  /** A role a service assumes for the stack (not a function's): `campaign-scheduler`. */
  serviceRole: 'rekindle:service-role',
} as const;

/** CloudFormation type of the custom resources that run `deployment` triggers (a Lambda-backed resource). */
export const deploymentHookType = 'Custom::RekindleDeploymentHook';
