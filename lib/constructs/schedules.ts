import { Duration, Stack, Tags, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { wildcardResourceFinding } from '../nag-findings';
import { definitionTags, pascal, resourceName, scheduleName } from '../naming';
import type { ResolvedSettings } from '../settings';
import type { RekindleFunction } from './rekindle-function';

/** Attempts EventBridge Scheduler makes before it gives a firing to the dead-letter queue. */
export const scheduleRetryAttempts = 3;
export const scheduleMaxEventAge = Duration.hours(1);

/** Replaces Scheduler's `<aws.scheduler.*>` placeholders with its context attributes. */
const contextValue = (value: string): string => {
  const match = /^<aws\.scheduler\.([a-z-]+)>$/.exec(value);
  return match?.[1] ? ContextAttribute.fromName(match[1]) : value;
};

export interface SchedulesProps {
  readonly stage: string;
  readonly settings: ResolvedSettings;
  readonly key: IKey;
}

/**
 * EventBridge Scheduler schedules for every `schedule` trigger: expression and time zone read from
 * the settings the trigger names, the trigger's input with Scheduler's context attributes, retries
 * and a dead-letter queue per schedule.
 */
export class Schedules extends Construct {
  readonly deadLetterQueues: { readonly id: string; readonly queue: Queue }[] = [];
  readonly schedules: { readonly id: string; readonly schedule: Schedule }[] = [];
  private executionRole: Role | undefined;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: SchedulesProps,
  ) {
    super(scope, id);
  }

  /** The role Scheduler invokes targets with, created with the first schedule. */
  private get role(): Role {
    this.executionRole ??= new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Rekindle ${this.props.stage}: EventBridge Scheduler invoking the scheduled functions`,
    });
    return this.executionRole;
  }

  /** Adds the schedules of one function. */
  addFor(fn: RekindleFunction): void {
    for (const trigger of fn.spec.triggers) {
      if (trigger.kind !== 'schedule') continue;
      const deadLetterQueue = new Queue(this, `${pascal(trigger.id)}DeadLetters`, {
        queueName: resourceName(this.props.stage, `${trigger.id}-dlq`),
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.props.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Tags.of(deadLetterQueue).add(definitionTags.deadLetterQueueOf, trigger.id);
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is the dead-letter queue of the ${trigger.id} schedule (Scheduler's DeadLetterConfig, invisible to cdk-nag); it needs no dead-letter queue of its own.`,
      });
      const input = Object.fromEntries(Object.entries(trigger.input).map(([k, v]) => [k, contextValue(v)]));
      const schedule = new Schedule(this, pascal(trigger.id), {
        scheduleName: scheduleName(this.props.stage, trigger.id),
        description: `${trigger.id}: invokes ${fn.spec.name}`,
        schedule: ScheduleExpression.expression(
          this.props.settings[trigger.expressionSetting],
          TimeZone.of(this.props.settings[trigger.timezoneSetting]),
        ),
        target: new LambdaInvoke(fn.function, {
          role: this.role,
          input: ScheduleTargetInput.fromObject(input),
          deadLetterQueue,
          retryAttempts: scheduleRetryAttempts,
          maxEventAge: scheduleMaxEventAge,
        }),
      });
      // Scheduler sends undeliverable firings to the KMS-encrypted dead-letter queue with this role.
      this.props.key.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
      const policy = this.role.node.tryFindChild('DefaultPolicy');
      if (policy) {
        Validations.of(policy).acknowledge({
          id: wildcardResourceFinding(policy, `${fn.function.functionArn}:*`),
          reason: `LambdaInvoke grants lambda:InvokeFunction on ${fn.spec.name} and its qualified ARNs (versions and aliases) only; the wildcard is the qualifier of that one function.`,
        });
      }
      this.deadLetterQueues.push({ id: trigger.id, queue: deadLetterQueue });
      this.schedules.push({ id: trigger.id, schedule });
    }
  }
}
