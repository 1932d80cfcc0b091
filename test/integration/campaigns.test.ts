import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, endpoints, keyWith, unique } from './support';

/**
 * Campaign definitions over HTTP on the local stack: checked against their segment and templates,
 * with real EventBridge Scheduler schedules (the local Scheduler API, through the access proxy)
 * whose firings reach the campaignStarts queue as Scheduler sends them.
 */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const scheduler = () =>
  new SchedulerClient({ endpoint: endpoints().schedulerUrl, region: endpoints().region, credentials });
const group = () => `rekindle-${endpoints().tables.profiles!.split('-').slice(1, -1).join('-')}-campaigns`;

const run = unique('cmp');
let segmentId: string;
let emailTemplate: string;
let plainTemplate: string;

const campaign = (overrides: Record<string, unknown> = {}) => ({
  name: `${run} win-back`,
  segmentId,
  channel: 'email',
  templateId: emailTemplate,
  offer: { prefix: 'BACK', validDays: 14 },
  controlGroup: { share: 0.1 },
  schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
  ...overrides,
});

beforeAll(async () => {
  const segment = await api('POST', '/segments', {
    body: { name: `${run} lapsed`, rule: { attribute: 'scores.lifecycle', op: 'eq', value: 'lapsed' } },
  });
  expect(segment.status, segment.text).toBe(201);
  segmentId = segment.json.segmentId;
  const template = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/templates', { body: { name: `${run} ${body.channel}`, ...body } });
    expect(res.status, res.text).toBe(201);
    return res.json.template.templateId as string;
  };
  emailTemplate = await template({
    channel: 'email',
    subject: 'We miss you',
    html: '<p>{{ offer.code }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
  });
  plainTemplate = await template({
    channel: 'email',
    subject: 'Hello',
    html: '<a href="{{ unsubscribe_url }}">Unsubscribe</a>',
  });
});

describe('campaigns', () => {
  it('are created with a Scheduler schedule in the stage group, and shown with their next firing', async () => {
    const created = await api('POST', '/campaigns', { body: campaign() });
    expect(created.status, created.text).toBe(201);
    const { campaignId } = created.json;
    expect(campaignId).toMatch(/^cmp_/);
    expect(created.json).toMatchObject({ status: 'active', version: 1, kind: 'marketing' });
    expect(created.json.nextFiringAt).toMatch(/T10:00:00.000Z$|T09:00:00.000Z$/);
    expect(created.headers.get('location')).toBe(`/campaigns/${campaignId}`);

    const schedule = await scheduler().send(new GetScheduleCommand({ Name: campaignId, GroupName: group() }));
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(0 10 ? * WED *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      Target: { Arn: expect.stringMatching(/-campaign-starts$/) },
    });
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({
      campaignId,
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    // The segment and the template know they are used.
    expect((await api('GET', `/segments/${segmentId}`)).json.usedBy).toContain(campaignId);
    expect((await api('DELETE', `/templates/${emailTemplate}`)).status).toBe(409);

    const listed = await api('GET', '/campaigns');
    expect(listed.json.items.map((c: { campaignId: string }) => c.campaignId)).toContain(campaignId);
    expect((await api('GET', `/campaigns/${campaignId}`)).json).toEqual(created.json);
  });

  it('refuse a bad definition, naming every field', async () => {
    // The shape first: each field the schema refuses.
    const shape = await api('POST', '/campaigns', {
      body: campaign({
        controlGroup: { share: 0.7 },
        schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Mars/Olympus' },
      }),
    });
    expect(shape.status).toBe(422);
    expect(shape.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'controlGroup.share',
      'schedule.timeZone',
    ]);
    // Then what it names: an unknown segment, an email template on an SMS campaign.
    const res = await api('POST', '/campaigns', {
      body: campaign({ channel: 'sms', segmentId: 'seg_missing' }),
    });
    expect(res.status).toBe(422);
    const paths = res.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['segmentId', 'templateId']));
    const noOffer = await api('POST', '/campaigns', { body: campaign({ offer: undefined }) });
    expect(noOffer.status).toBe(422);
    expect(JSON.stringify(noOffer.json.error.details)).toContain('offer');
  });

  it('pause, resume and cancel with their schedule; cancelled is final', async () => {
    const { campaignId } = (
      await api('POST', '/campaigns', { body: campaign({ templateId: plainTemplate, offer: undefined }) })
    ).json;
    const writer = await keyWith(['write']);
    expect(
      (await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'pause' }, key: writer }))
        .status,
    ).toBe(403);

    const paused = await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'pause' } });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.json).toMatchObject({ status: 'paused', version: 2 });
    expect(paused.json.nextFiringAt).toBeUndefined();
    const disabled = await scheduler().send(new GetScheduleCommand({ Name: campaignId, GroupName: group() }));
    expect(disabled.State).toBe('DISABLED');
    expect(
      (await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'pause' } })).json.version,
    ).toBe(2);

    const resumed = await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'resume' } });
    expect(resumed.json).toMatchObject({ status: 'active', version: 3 });

    const updated = await api('PUT', `/campaigns/${campaignId}`, {
      body: campaign({
        templateId: plainTemplate,
        offer: undefined,
        schedule: { type: 'recurring', cron: 'cron(30 9 ? * MON *)', timeZone: 'Europe/Paris' },
      }),
    });
    expect(updated.status, updated.text).toBe(200);
    expect(
      (await scheduler().send(new GetScheduleCommand({ Name: campaignId, GroupName: group() })))
        .ScheduleExpression,
    ).toBe('cron(30 9 ? * MON *)');

    const cancelled = await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'cancel' } });
    expect(cancelled.json.status).toBe('cancelled');
    await expect(
      scheduler().send(new GetScheduleCommand({ Name: campaignId, GroupName: group() })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect((await api('GET', `/templates/${plainTemplate}`)).json.usedBy).not.toContain(campaignId);
    const again = await api('POST', `/campaigns/${campaignId}/actions`, { body: { action: 'resume' } });
    expect(again.status).toBe(409);
  });
});
