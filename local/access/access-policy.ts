import type { FunctionAccess, QueueName, TableName } from '../../lib/definition';
import { tables } from '../../lib/definition';

/** One statement of a function's policy: these actions on these resources (IAM wildcards `*`). */
export interface Statement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** `s3:ListBucket` is allowed only for these key prefixes (the policy's `s3:prefix` condition). */
  readonly s3PrefixLike?: readonly string[];
}

/** The ARNs of one local stack's resources, as a policy names them. */
export interface PolicyResources {
  readonly tableArns: Readonly<Record<TableName, string>>;
  readonly bucketArn: string;
  readonly queueArns: Readonly<Record<QueueName, string>>;
  readonly opsTopicArn: string;
  readonly unsubscribeSecretArn: string;
  readonly sendingIdentityArn: string;
  readonly configurationSetArn: string;
  /** The stage's campaign schedules (`.../schedule/<group>/*`) and the role they are passed. */
  readonly campaignSchedulesArn: string;
  readonly campaignSchedulerRoleArn: string;
}

// What the CDK grants add (aws-cdk-lib: Table.grantReadData / grantReadWriteData,
// Queue.grantSendMessages, Topic.grantPublish, Secret.grantRead); the definition-agreement test
// compares every function's statements with its role's policy in the synthesized template.
export const tableReadActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:DescribeTable',
];
export const tableWriteActions = [
  ...tableReadActions,
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];
export const queueSendActions = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
export const secretReadActions = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
export const emailActions = ['ses:SendEmail', 'ses:SendRawEmail'];
export const sendQuotaActions = ['ses:GetAccount'];
export const smsActions = ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut', 'sns:ListPhoneNumbersOptedOut'];
export const campaignScheduleActions = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
];

/** The identity policy a function's `access` gives it, in IAM's terms (KMS, logs and X-Ray aside). */
export const accessPolicy = (access: FunctionAccess, arns: PolicyResources): Statement[] => {
  const statements: Statement[] = [];
  for (const [name, mode] of Object.entries(access.tables ?? {}) as [TableName, 'read' | 'write'][]) {
    const arn = arns.tableArns[name];
    statements.push({
      actions: mode === 'write' ? tableWriteActions : tableReadActions,
      resources: (tables[name].globalIndexes ?? []).length > 0 ? [arn, `${arn}/index/*`] : [arn],
    });
  }
  const reads = access.dropBucket?.read ?? [];
  const writes = access.dropBucket?.write ?? [];
  if (reads.length > 0) {
    statements.push({ actions: ['s3:GetObject'], resources: reads.map((p) => `${arns.bucketArn}/${p}*`) });
    statements.push({
      actions: ['s3:ListBucket'],
      resources: [arns.bucketArn],
      s3PrefixLike: reads.map((p) => `${p}*`),
    });
  }
  if (writes.length > 0)
    statements.push({ actions: ['s3:PutObject'], resources: writes.map((p) => `${arns.bucketArn}/${p}*`) });
  if (access.publishOps) statements.push({ actions: ['sns:Publish'], resources: [arns.opsTopicArn] });
  if (access.sendEmail)
    statements.push({
      actions: emailActions,
      resources: [arns.sendingIdentityArn, arns.configurationSetArn],
    });
  if (access.readSendQuota) statements.push({ actions: sendQuotaActions, resources: ['*'] });
  if (access.sendSms) statements.push({ actions: smsActions, resources: ['*'] });
  if (access.unsubscribeSecret)
    statements.push({ actions: secretReadActions, resources: [arns.unsubscribeSecretArn] });
  for (const name of access.sendToQueues ?? [])
    statements.push({ actions: queueSendActions, resources: [arns.queueArns[name]] });
  if (access.manageCampaignSchedules) {
    statements.push({ actions: campaignScheduleActions, resources: [arns.campaignSchedulesArn] });
    // IAM also requires iam:PassedToService = scheduler.amazonaws.com; the only service locally.
    statements.push({ actions: ['iam:PassRole'], resources: [arns.campaignSchedulerRoleArn] });
  }
  return statements;
};

/** IAM's string wildcards: `*` any run of characters, `?` one. */
const matches = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(value);

/** One thing a request asks IAM for. */
export interface Authorization {
  readonly action: string;
  readonly resource: string;
  /** For `s3:ListBucket`: the prefix the listing asks for. */
  readonly s3Prefix?: string;
}

/** Whether the statements allow the request, as IAM decides with identity policies only. */
export const isAllowed = (statements: readonly Statement[], request: Authorization): boolean =>
  statements.some(
    (s) =>
      s.actions.some((a) => matches(a, request.action)) &&
      s.resources.some((r) => matches(r, request.resource)) &&
      (s.s3PrefixLike === undefined ||
        (request.s3Prefix !== undefined && s.s3PrefixLike.some((p) => matches(p, request.s3Prefix!)))),
  );
