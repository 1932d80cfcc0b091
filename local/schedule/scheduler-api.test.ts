import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeCampaignSchedules } from '../../functions/campaigns/eventbridge-campaign-schedules';
import { type RunningSchedulerApi, type SchedulerFiring, startSchedulerApi } from './scheduler-api';

// The production adapter (the real SDK client) against the local Scheduler API: what a campaign
// schedule looks like to Scheduler, and how the local runner fires it.

const targets = {
  group: 'rekindle-test-campaigns',
  targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:rekindle-test-run-campaign',
  roleArn: 'arn:aws:iam::000000000000:role/rekindle-test-scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:rekindle-test-schedule-dlq',
};

let api: RunningSchedulerApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const start = async (
  deliver: (f: SchedulerFiring) => Promise<void>,
  deadLetter?: (f: SchedulerFiring) => void,
) => {
  api = await startSchedulerApi({
    region: 'us-east-1',
    accountId: '000000000000',
    deliver,
    ...(deadLetter ? { deadLetter } : {}),
    retryDelayMs: 10,
  });
  const client = new SchedulerClient({
    endpoint: api.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { client, schedules: new EventBridgeCampaignSchedules(client, targets) };
};

describe('the local Scheduler API', () => {
  it('keeps a campaign schedule as Scheduler does, replaced on a second put, gone after remove', async () => {
    const { client, schedules } = await start(async () => {});
    await schedules.put(
      'cmp_1',
      { expression: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
      { enabled: true },
    );
    const got = await client.send(new GetScheduleCommand({ Name: 'cmp_1', GroupName: targets.group }));
    expect(got).toMatchObject({
      Name: 'cmp_1',
      GroupName: targets.group,
      Arn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${targets.group}/cmp_1`,
      ScheduleExpression: 'cron(0 10 ? * WED *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: targets.targetArn,
        RoleArn: targets.roleArn,
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: targets.deadLetterArn },
      },
    });
    expect(JSON.parse(got.Target!.Input!)).toEqual({
      campaignId: 'cmp_1',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
    const next = api!.next().find((n) => n.name === 'cmp_1')!;
    // Wednesday 10:00 in London, whichever week.
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next.at),
    ).toBe('Wed 10:00');

    // Paused: kept, not fired.
    await schedules.put(
      'cmp_1',
      { expression: 'cron(0 9 ? * MON *)', timeZone: 'Europe/Paris' },
      { enabled: false },
    );
    const paused = await client.send(new GetScheduleCommand({ Name: 'cmp_1', GroupName: targets.group }));
    expect(paused).toMatchObject({ State: 'DISABLED', ScheduleExpression: 'cron(0 9 ? * MON *)' });
    expect(api!.next()).toEqual([]);
    const listed = await client.send(new ListSchedulesCommand({ GroupName: targets.group }));
    expect(listed.Schedules?.map((s) => s.Name)).toEqual(['cmp_1']);

    await schedules.remove('cmp_1');
    await schedules.remove('cmp_1');
    await expect(
      client.send(new GetScheduleCommand({ Name: 'cmp_1', GroupName: targets.group })),
    ).rejects.toThrow(/does not exist/);
  });

  it('refuses what Scheduler refuses, with its error types', async () => {
    const { schedules } = await start(async () => {});
    await expect(
      schedules.put(
        'cmp_2',
        { expression: 'cron(61 10 ? * WED *)', timeZone: 'Europe/London' },
        { enabled: true },
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      schedules.put(
        'cmp_2',
        { expression: 'cron(0 10 ? * WED *)', timeZone: 'Mars/Olympus' },
        { enabled: true },
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fires a one-time schedule with the scheduled time in its input, then deletes it', async () => {
    const firings: SchedulerFiring[] = [];
    const { schedules } = await start(async (f) => {
      firings.push(f);
    });
    const at = new Date(Date.now() + 1500);
    const wall = at.toISOString().slice(0, 19);
    await schedules.put('cmp_once', { expression: `at(${wall})`, timeZone: 'UTC' }, { enabled: true });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(firings).toHaveLength(1);
    expect(JSON.parse(firings[0]!.input)).toEqual({ campaignId: 'cmp_once', scheduledTime: `${wall}Z` });
    expect(api!.schedules()).toEqual([]);
  });

  it('retries a failed delivery, then dead-letters it', async () => {
    let attempts = 0;
    const dead: SchedulerFiring[] = [];
    const { schedules } = await start(
      async () => {
        attempts++;
        throw new Error('the run function is down');
      },
      (f) => dead.push(f),
    );
    const wall = new Date(Date.now() + 1000).toISOString().slice(0, 19);
    await schedules.put('cmp_fail', { expression: `at(${wall})`, timeZone: 'UTC' }, { enabled: true });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(attempts).toBe(4);
    expect(dead.map((f) => f.attempt)).toEqual([4]);
  });
});
