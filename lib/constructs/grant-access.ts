import { Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type FunctionAccess, type TableName, tables } from '../definition';
import { wildcardActionFinding, wildcardResourceFinding } from '../nag-findings';
import type { RekindleResources } from '../rekindle-resources';
import type { RekindleFunction } from './rekindle-function';

/** Actions of SMS sending through SNS; phone-number publishes have no resource to scope them to. */
export const smsActions = ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut', 'sns:ListPhoneNumbersOptedOut'];
export const emailActions = ['ses:SendEmail', 'ses:SendRawEmail'];
export const sendQuotaActions = ['ses:GetAccount'];
/** What the campaign API does with the campaign schedules (only those of the stage's group). */
export const campaignScheduleActions = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
];

/** Grants one function exactly what its `access` in the definition lists, and nothing more. */
export const grantAccess = (
  fn: RekindleFunction,
  access: FunctionAccess,
  resources: RekindleResources,
): void => {
  const role = fn.role;
  /** Wildcard KMS actions the CDK grant helpers add (each on the one key of the granted resource). */
  const kmsWildcards = new Set<string>();

  for (const [name, mode] of Object.entries(access.tables ?? {}) as [TableName, 'read' | 'write'][]) {
    const table = resources.tables[name];
    if (mode === 'write') {
      table.grantReadWriteData(role);
      kmsWildcards.add('kms:GenerateDataKey*').add('kms:ReEncrypt*');
    } else {
      table.grantReadData(role);
    }
  }

  const drop = access.dropBucket;
  if (drop) {
    const bucket = resources.dropBucket;
    const objectsUnder = (prefix: string) => bucket.arnForObjects(`${prefix}*`);
    const reads = drop.read ?? [];
    const writes = drop.write ?? [];
    if (reads.length > 0) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: reads.map(objectsUnder) }),
      );
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': reads.map((prefix) => `${prefix}*`) } },
        }),
      );
      resources.dropBucketKey.grant(role, 'kms:Decrypt');
    }
    if (writes.length > 0) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:PutObject'], resources: writes.map(objectsUnder) }),
      );
      resources.dropBucketKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    const policy = role.node.tryFindChild('DefaultPolicy');
    for (const prefix of [...reads, ...writes]) {
      if (policy) {
        Validations.of(policy).acknowledge({
          id: wildcardResourceFinding(policy, objectsUnder(prefix)),
          reason: `Object access is limited to the keys under the "${prefix}" prefix of the drop bucket that the definition grants; the wildcard is that prefix.`,
        });
      }
    }
  }

  if (access.publishOps) {
    resources.opsTopic.grantPublish(role);
    kmsWildcards.add('kms:GenerateDataKey*');
  }

  if (access.sendEmail) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: emailActions,
        resources: [resources.sendingIdentityArn, resources.configurationSetArn],
      }),
    );
  }

  if (access.readSendQuota) {
    const quota = new Policy(fn, 'SendQuota', {
      statements: [new PolicyStatement({ actions: sendQuotaActions, resources: ['*'] })],
      roles: [role],
    });
    Validations.of(quota).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount reads the account’s own sending quota and has no resource to scope to; this policy holds that one read-only action.',
    });
  }

  if (access.sendSms) {
    const sms = new Policy(fn, 'SmsSending', {
      statements: [new PolicyStatement({ actions: smsActions, resources: ['*'] })],
      roles: [role],
    });
    Validations.of(sms).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SNS publishes to a phone number (and the opt-out checks) have no resource ARN to scope to; this policy holds exactly sns:Publish, sns:CheckIfPhoneNumberIsOptedOut and sns:ListPhoneNumbersOptedOut.',
    });
  }

  if (access.manageCampaignSchedules) {
    const scheduling = new Policy(fn, 'CampaignSchedules', {
      statements: [
        new PolicyStatement({
          actions: campaignScheduleActions,
          resources: [resources.campaignScheduling.groupArn],
        }),
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [resources.campaignScheduling.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ],
      roles: [role],
    });
    Validations.of(scheduling).acknowledge({
      id: wildcardResourceFinding(scheduling, resources.campaignScheduling.groupArn),
      reason:
        'Campaign schedules are created by the API, one per campaign, named after it: the wildcard is the schedules of the stage’s campaign schedule group, nothing else.',
    });
  }

  if (access.unsubscribeSecret) resources.unsubscribeSecret.grantRead(role);
  for (const name of access.sendToQueues ?? []) resources.queues[name].grantSendMessages(role);

  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) {
    for (const name of Object.keys(access.tables ?? {}) as TableName[]) {
      const indexes = tables[name].globalIndexes ?? [];
      if (indexes.length === 0) continue;
      Validations.of(policy).acknowledge({
        id: wildcardResourceFinding(policy, `${resources.tables[name].tableArn}/index/*`),
        reason: `Added by the CDK table grant: the same access to the ${name} table's own indexes (${indexes.map((i) => i.name).join(', ')}); the wildcard spans only that table's indexes.`,
      });
    }
    for (const action of kmsWildcards) {
      Validations.of(policy).acknowledge({
        id: wildcardActionFinding(action),
        reason:
          'Added by the CDK grants for writing to a KMS-encrypted table or publishing to the KMS-encrypted topic; resource-scoped to that one key, the wildcard only spans the variants of the same KMS action.',
      });
    }
  }
};
