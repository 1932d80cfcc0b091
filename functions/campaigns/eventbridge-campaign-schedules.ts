import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { CampaignSchedules, CampaignTiming } from './campaign-schedules';

export interface SchedulerTargets {
  /** The schedule group of the stage: every campaign schedule lives in it. */
  readonly group: string;
  /** The function a firing invokes (the campaign run). */
  readonly targetArn: string;
  /** The role Scheduler assumes to invoke it (the caller needs iam:PassRole on it). */
  readonly roleArn: string;
  /** Where Scheduler puts a firing it could not deliver. */
  readonly deadLetterArn: string;
}

/** Scheduler retries a failed delivery for up to an hour, three times, then dead-letters it. */
const RETRY_POLICY = { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 };

/** Campaign schedules as EventBridge Scheduler schedules, through @aws-sdk/client-scheduler. */
export class EventBridgeCampaignSchedules implements CampaignSchedules {
  constructor(
    private readonly client: SchedulerClient,
    private readonly targets: SchedulerTargets,
  ) {}

  async put(
    campaignId: string,
    timing: CampaignTiming,
    options: { readonly enabled: boolean },
  ): Promise<void> {
    const once = timing.expression.startsWith('at(');
    const input: CreateScheduleCommandInput = {
      Name: campaignId,
      GroupName: this.targets.group,
      ScheduleExpression: timing.expression,
      ScheduleExpressionTimezone: timing.timeZone,
      State: options.enabled ? 'ENABLED' : 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ...(once ? { ActionAfterCompletion: 'DELETE' } : {}),
      Description: `Rekindle campaign ${campaignId}`,
      Target: {
        Arn: this.targets.targetArn,
        RoleArn: this.targets.roleArn,
        Input: JSON.stringify({ campaignId, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: RETRY_POLICY,
        DeadLetterConfig: { Arn: this.targets.deadLetterArn },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      // It exists (a retry, or a change of the campaign): Update replaces every field.
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async remove(campaignId: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: campaignId, GroupName: this.targets.group }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
