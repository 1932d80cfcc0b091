import { definitionTags, deploymentHookType, scheduleNamePrefix } from './naming';
import type { Binding } from './wiring';

/** A synthesized CloudFormation template (the parts read here). */
export interface CfnTemplate {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Readonly<Record<string, unknown>> }>
  >;
}

type Resource = CfnTemplate['Resources'][string];

const tagValue = (resource: Resource, key: string): string | undefined => {
  const tags = resource.Properties?.['Tags'];
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t: { Key?: string }) => t?.Key === key) as { Value?: string } | undefined;
  return tag?.Value;
};

/** Logical ids referenced (Ref or Fn::GetAtt) anywhere inside a CloudFormation value. */
const referencedIds = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj['Ref'] === 'string') return [obj['Ref']];
  const getAtt = obj['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  return Object.values(obj).flatMap(referencedIds);
};

const only = <T>(items: T[], what: string): T => {
  if (items.length !== 1) throw new Error(`Expected exactly one ${what}, found ${items.length}`);
  return items[0] as T;
};

/**
 * Reads from a synthesized template every trigger of every function, as bindings: HTTP routes
 * (route key -> integration -> function), the Lambda authorizer, S3 notifications (prefix -> queue
 * -> event source mapping -> function) and schedules (-> target function, expression, time zone).
 * Logical ids are mapped back to definition names through the tags the stack puts on functions and
 * queues (`definitionTags`) and through schedule names (`rekindle-<stage>-<id>`).
 */
export const wiringFromTemplate = (template: CfnTemplate, stage: string): Binding[] => {
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

  const functionNames = new Map<string, string>();
  for (const [id, r] of ofType('AWS::Lambda::Function')) {
    const name = tagValue(r, definitionTags.function);
    if (name) functionNames.set(id, name);
  }
  const queueNames = new Map<string, string>();
  for (const [id, r] of ofType('AWS::SQS::Queue')) {
    const name = tagValue(r, definitionTags.queue);
    if (name) queueNames.set(id, name);
  }
  const functionIn = (value: unknown, what: string): string =>
    functionNames.get(
      only(
        referencedIds(value).filter((id) => functionNames.has(id)),
        `definition function behind ${what}`,
      ),
    )!;

  const bindings: Binding[] = [];

  const integrations = new Map(ofType('AWS::ApiGatewayV2::Integration'));
  for (const [id, route] of ofType('AWS::ApiGatewayV2::Route')) {
    const integrationId = only(
      referencedIds(route.Properties?.['Target']).filter((ref) => integrations.has(ref)),
      `integration of route ${id}`,
    );
    const integration = integrations.get(integrationId)!;
    bindings.push({
      kind: 'http',
      routeKey: String(route.Properties?.['RouteKey']),
      function: functionIn(integration.Properties?.['IntegrationUri'], `route ${id}`),
    });
  }

  for (const [id, authorizer] of ofType('AWS::ApiGatewayV2::Authorizer')) {
    bindings.push({ kind: 'authorizer', function: functionIn(authorizer.Properties?.['AuthorizerUri'], id) });
  }

  const mappings = ofType('AWS::Lambda::EventSourceMapping');
  for (const [id, notifications] of ofType('Custom::S3BucketNotifications')) {
    const config = notifications.Properties?.['NotificationConfiguration'] as
      | {
          QueueConfigurations?: {
            QueueArn: unknown;
            Filter?: { Key?: { FilterRules?: { Name: string; Value: string }[] } };
          }[];
        }
      | undefined;
    for (const queueConfig of config?.QueueConfigurations ?? []) {
      const queueId = only(
        referencedIds(queueConfig.QueueArn).filter((ref) => queueNames.has(ref)),
        `definition queue of a notification of ${id}`,
      );
      const prefix = queueConfig.Filter?.Key?.FilterRules?.find(
        (rule) => rule.Name.toLowerCase() === 'prefix',
      )?.Value;
      const consumers = mappings.filter(([, m]) =>
        referencedIds(m.Properties?.['EventSourceArn']).includes(queueId),
      );
      if (consumers.length === 0)
        throw new Error(`No function consumes the queue ${queueNames.get(queueId)}`);
      for (const [mappingId, mapping] of consumers) {
        bindings.push({
          kind: 's3',
          prefix: prefix ?? '',
          queue: queueNames.get(queueId)!,
          function: functionIn(mapping.Properties?.['FunctionName'], mappingId),
        });
      }
    }
  }

  // Queues no bucket notifies: work queues other functions send to.
  const notified = new Set(bindings.flatMap((b) => (b.kind === 's3' ? [b.queue] : [])));
  for (const [mappingId, mapping] of mappings) {
    const queueId = referencedIds(mapping.Properties?.['EventSourceArn']).find((ref) => queueNames.has(ref));
    if (!queueId || notified.has(queueNames.get(queueId)!)) continue;
    bindings.push({
      kind: 'queue',
      queue: queueNames.get(queueId)!,
      function: functionIn(mapping.Properties?.['FunctionName'], mappingId),
    });
  }

  const prefix = scheduleNamePrefix(stage);
  for (const [id, schedule] of ofType('AWS::Scheduler::Schedule')) {
    const name = String(schedule.Properties?.['Name'] ?? '');
    if (!name.startsWith(prefix)) throw new Error(`Schedule ${id} is not named ${prefix}<id>`);
    const target = schedule.Properties?.['Target'] as { Arn?: unknown } | undefined;
    bindings.push({
      kind: 'schedule',
      id: name.slice(prefix.length),
      expression: String(schedule.Properties?.['ScheduleExpression']),
      timezone: String(schedule.Properties?.['ScheduleExpressionTimezone'] ?? 'UTC'),
      function: functionIn(target?.Arn, `schedule ${id}`),
    });
  }

  // Deployment hooks: custom resources whose ServiceToken is a definition function.
  for (const [id, resource] of resources) {
    if (resource.Type !== deploymentHookType) continue;
    bindings.push({
      kind: 'deployment',
      id: String(resource.Properties?.['Hook']),
      version: String(resource.Properties?.['Version']),
      function: functionIn(resource.Properties?.['ServiceToken'], `deployment hook ${id}`),
    });
  }

  return bindings;
};

/**
 * Each function's environment variables as the synthesized template sets them, by definition name.
 * A value CloudFormation resolves at deploy time (a Ref or Fn::GetAtt of a table, queue, topic,
 * secret or the API) stands as `resolved:<logical ids>`; plain strings are kept as they are.
 */
export const functionEnvironmentsFromTemplate = (
  template: CfnTemplate,
): Map<string, Record<string, string>> => {
  const result = new Map<string, Record<string, string>>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = tagValue(resource, definitionTags.function);
    if (!name) continue;
    const variables = ((resource.Properties?.['Environment'] as { Variables?: Record<string, unknown> })
      ?.Variables ?? {}) as Record<string, unknown>;
    result.set(
      name,
      Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : `resolved:${referencedIds(value).join(',')}`,
        ]),
      ),
    );
  }
  return result;
};
