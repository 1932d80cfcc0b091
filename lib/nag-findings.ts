import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names IAM wildcard findings
 * (`<Logical.Arn>/imports/*`), so a finding on one exact resource can be acknowledged.
 */
const flatten = (node: unknown): string => {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    const join = value['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(flatten).join(join[0]);
    if ('Fn::Sub' in value) return flatten(value['Fn::Sub']);
    const getAtt = value['Fn::GetAtt'] as [unknown, unknown] | undefined;
    if (getAtt) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    if ('Fn::ImportValue' in value) return flatten(value['Fn::ImportValue']);
    if ('Ref' in value) return `<${flatten(value['Ref'])}>`;
  }
  return JSON.stringify(node);
};

/** The cdk-nag id of the `AwsSolutions-IAM5` finding for a wildcard resource such as `${bucketArn}/imports/*`. */
export const wildcardResourceFinding = (scope: IConstruct, resource: string): string =>
  `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;

/** The cdk-nag id of the `AwsSolutions-IAM5` finding for a wildcard action such as `kms:GenerateDataKey*`. */
export const wildcardActionFinding = (action: string): string => `AwsSolutions-IAM5[Action::${action}]`;
