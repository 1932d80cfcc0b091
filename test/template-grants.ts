/**
 * Reads each function's environment and identity policy back from a synthesized template in
 * symbolic form (a table as `table:<name>`, a queue as `queue:<name>`, the drop bucket as `bucket`,
 * ...), so the definition-agreement test can compare them with what the local runner builds.
 */
import { definitionTags } from '../lib/naming';
import type { CfnTemplate } from '../lib/template-wiring';

type Resource = CfnTemplate['Resources'][string];

const tagOf = (resource: Resource, key: string): string | undefined =>
  ((resource.Properties?.['Tags'] as { Key: string; Value: string }[] | undefined) ?? []).find(
    (t) => t.Key === key,
  )?.Value;

/** The pseudo parameters a policy's ARNs are built from, as the local runner fills them in. */
export const pseudo = { partition: 'aws', region: 'REGION', account: 'ACCOUNT' };

export interface SymbolicTemplate {
  /** Definition name of a function -> its variables, references as symbols. */
  readonly environments: ReadonlyMap<string, Record<string, string>>;
  /** Definition name of a function -> `action resource [prefix=...]` for every allowed pair. */
  readonly grants: ReadonlyMap<string, Set<string>>;
}

export const symbolicTemplate = (template: CfnTemplate): SymbolicTemplate => {
  const symbols = new Map<string, string>();
  const roleOf = new Map<string, string>();
  const functionIds = new Map<string, string>();
  const dropBuckets = new Set<string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    const table = tagOf(r, definitionTags.table);
    const queue = tagOf(r, definitionTags.queue);
    if (r.Type === 'AWS::DynamoDB::Table' && table) symbols.set(id, `table:${table}`);
    if (r.Type === 'AWS::SQS::Queue' && queue) symbols.set(id, `queue:${queue}`);
    if (r.Type === 'AWS::S3::Bucket') symbols.set(id, `bucket:${id}`);
    // The drop bucket is the one whose uploads notify the import queues.
    if (r.Type === 'Custom::S3BucketNotifications') {
      const bucket = (r.Properties?.['BucketName'] as { Ref?: string })?.Ref;
      if (bucket) dropBuckets.add(bucket);
    }
    if (r.Type === 'AWS::SQS::Queue' && tagOf(r, definitionTags.deadLetterQueueOf) === 'campaign-schedules')
      symbols.set(id, 'queue:campaign-schedules-dlq');
    const serviceRole = tagOf(r, definitionTags.serviceRole);
    if (r.Type === 'AWS::IAM::Role' && serviceRole) symbols.set(id, `role:${serviceRole}`);
    if (r.Type === 'AWS::SNS::Topic') symbols.set(id, 'topic:ops');
    if (r.Type === 'AWS::SecretsManager::Secret') symbols.set(id, 'secret:unsubscribe');
    if (r.Type === 'AWS::ApiGatewayV2::Api') symbols.set(id, 'api');
    const fn = tagOf(r, definitionTags.function);
    if (r.Type === 'AWS::Lambda::Function' && fn) {
      functionIds.set(id, fn);
      const role = (r.Properties?.['Role'] as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt']?.[0];
      if (role) roleOf.set(role, fn);
    }
  }
  if (dropBuckets.size !== 1) throw new Error(`expected one drop bucket, found ${dropBuckets.size}`);
  for (const id of dropBuckets) symbols.set(id, 'bucket');

  const render = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const obj = value as Record<string, unknown>;
    if (typeof obj['Ref'] === 'string') {
      const ref = obj['Ref'];
      if (ref === 'AWS::Partition') return pseudo.partition;
      if (ref === 'AWS::Region') return pseudo.region;
      if (ref === 'AWS::AccountId') return pseudo.account;
      return symbols.get(ref) ?? `ref:${ref}`;
    }
    const getAtt = obj['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return symbols.get(String(getAtt[0])) ?? `getatt:${getAtt[0]}`;
    const join = obj['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(render).join(join[0]);
    return JSON.stringify(value);
  };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

  const environments = new Map<string, Record<string, string>>();
  for (const [id, name] of functionIds) {
    const variables =
      (template.Resources[id]?.Properties?.['Environment'] as { Variables?: Record<string, unknown> })
        ?.Variables ?? {};
    environments.set(
      name,
      Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, render(value)])),
    );
  }

  const grants = new Map<string, Set<string>>([...functionIds.values()].map((name) => [name, new Set()]));
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    const document = r.Properties?.['PolicyDocument'] as {
      Statement: { Action: unknown; Resource: unknown; Effect: string; Condition?: unknown }[];
    };
    const roles = list(r.Properties?.['Roles']).map((role) => (role as { Ref: string }).Ref);
    for (const role of roles) {
      const fn = roleOf.get(role);
      if (!fn) continue;
      for (const statement of document.Statement) {
        if (statement.Effect !== 'Allow') continue;
        const condition = statement.Condition as { StringLike?: { 's3:prefix'?: unknown } } | undefined;
        const prefixes = condition?.StringLike?.['s3:prefix'];
        const suffix = prefixes ? ` prefix=${list(prefixes).map(render).sort().join('|')}` : '';
        for (const action of list(statement.Action))
          for (const resource of list(statement.Resource))
            grants.get(fn)!.add(`${String(action)} ${render(resource)}${suffix}`);
      }
    }
  }
  return { environments, grants };
};
