import { Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { wildcardActionFinding } from '../nag-findings';
import { definitionTags, resourceName } from '../naming';

export interface CampaignSchedulingProps {
  readonly stage: string;
  readonly key: IKey;
  /** Where a campaign schedule's firing goes: the campaignStarts queue. */
  readonly target: IQueue;
}

/**
 * What campaign schedules need in the stack: a schedule group per stage (every campaign's schedule
 * is created in it by the API, with @aws-sdk/client-scheduler), the role Scheduler sends firings
 * with (send to the campaignStarts queue and to the schedules' dead-letter queue, nothing else),
 * and that dead-letter queue.
 */
export class CampaignScheduling extends Construct {
  readonly group: CfnScheduleGroup;
  readonly groupName: string;
  readonly role: Role;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: CampaignSchedulingProps) {
    super(scope, id);
    this.groupName = resourceName(props.stage, 'campaigns');
    this.group = new CfnScheduleGroup(this, 'Group', { name: this.groupName });
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      queueName: resourceName(props.stage, 'campaign-schedules-dlq'),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Tags.of(this.deadLetterQueue).add(definitionTags.deadLetterQueueOf, 'campaign-schedules');
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the dead-letter queue of the campaign schedules (Scheduler's DeadLetterConfig, set by the API on each schedule); it needs no dead-letter queue of its own.",
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': this.groupArnPattern() },
        },
      }),
      description: `Rekindle ${props.stage}: EventBridge Scheduler sending campaign firings to the campaignStarts queue`,
    });
    Tags.of(this.role).add(definitionTags.serviceRole, 'campaign-scheduler');
    props.target.grantSendMessages(this.role);
    this.deadLetterQueue.grantSendMessages(this.role);
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*'])
      if (policy)
        Validations.of(policy).acknowledge({
          id: wildcardActionFinding(action),
          reason:
            'Added by the CDK queue grant: sending to the KMS-encrypted campaignStarts queue and its dead-letter queue needs data keys of the one messaging key; the wildcard spans that key’s GenerateDataKey and ReEncrypt variants only.',
        });
  }

  /** The group's ARN (schedule groups have no ARN attribute a role condition can use before creation). */
  get groupArn(): string {
    return this.group.attrArn;
  }

  /** Every schedule of the group, as IAM names them. */
  schedulesArn(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule/${this.groupName}/*`;
  }

  private groupArnPattern(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule-group/${this.groupName}`;
  }
}
