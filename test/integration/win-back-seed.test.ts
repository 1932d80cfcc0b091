import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { inCampaignControl } from '../../functions/campaigns/control-group';
import { emailsTo } from './mailbox';
import { api, documentClient, endpoints, eventually, invoke, unique } from './support';
import { dayZone } from './zones';

/**
 * The migration of the retired weekly reactivation run: the stack's deployment hook (sent by the
 * local runner at start, as CloudFormation sends it on the first deployment) made the win-back
 * preset from the settings, paused here (file-stack.ts sets WIN_BACK_ON_FIRST_DEPLOYMENT), and
 * GET /runs/{runId} answers both the new runs and the old ones.
 */

const WIN_BACK = 'cmp_winback';

/** CloudFormation's side of one custom-resource request: the answer the hook PUTs to ResponseURL. */
const sendHookRequest = async (requestType: 'Create' | 'Update' | 'Delete') => {
  let answer: (value: { body: any; contentType: string | undefined }) => void = () => undefined;
  const answered = new Promise<{ body: any; contentType: string | undefined }>((r) => {
    answer = r;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.end();
      answer({
        body: JSON.parse(Buffer.concat(chunks).toString()),
        contentType: req.headers['content-type'],
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const requestId = randomUUID();
  try {
    await invoke('seed-campaigns', {
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:seed',
      ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer`,
      StackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/Rekindle-test/x',
      RequestId: requestId,
      LogicalResourceId: 'DeploymentHooksWinBackSeed',
      ResourceType: 'Custom::RekindleDeploymentHook',
      ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'seeded' }),
      ResourceProperties: { Hook: 'win-back-seed', Version: '1' },
    });
    const { body, contentType } = await answered;
    expect(body.RequestId).toBe(requestId);
    expect(contentType ?? '').toBe('');
    return body;
  } finally {
    server.close();
  }
};

describe('the win-back seeded on the first deployment', () => {
  it('is the preset made from the settings, paused as asked, on the old schedule', async () => {
    const res = await api('GET', `/campaigns/${WIN_BACK}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      campaignId: WIN_BACK,
      name: 'Win-back',
      status: 'paused',
      channel: 'email_or_sms',
      segmentId: 'seg_winback',
      schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
      controlGroup: { share: 0.1 },
    });
    expect((await api('GET', '/segments/seg_winback')).json).toMatchObject({ name: 'Win-back audience' });
    const email = (await api('GET', '/templates/tpl_winbackemail')).json;
    expect(email).toMatchObject({ channel: 'email', subject: expect.stringContaining('We miss you') });
    expect((await api('GET', '/templates/tpl_winbacksms')).json).toMatchObject({ channel: 'sms' });
  });

  it('is made once: the hook sent again (a retry, a restart, an update) answers the same and changes nothing', async () => {
    const before = (await api('GET', `/campaigns/${WIN_BACK}`)).json;
    for (const type of ['Create', 'Update'] as const) {
      const answer = await sendHookRequest(type);
      expect(answer).toMatchObject({ Status: 'SUCCESS', Data: { winBackCampaignId: WIN_BACK } });
    }
    expect((await sendHookRequest('Delete')).Status).toBe('SUCCESS');
    const after = (await api('GET', `/campaigns/${WIN_BACK}`)).json;
    expect(after.version).toBe(before.version);
    const all = (await api('GET', '/campaigns')).json.items.filter((c: any) => c.name === 'Win-back');
    expect(all.map((c: any) => c.campaignId)).toEqual([WIN_BACK]);
    // A preset asked for by name afterwards gets a segment name of its own, not a 409.
    const second = await api('POST', '/campaigns', {
      body: { preset: 'win-back', schedule: { type: 'manual' } },
    });
    expect(second.status, second.text).toBe(201);
    expect((await api('GET', `/segments/${second.json.segmentId}`)).json.name).toBe('Win-back audience (2)');
    await api('POST', `/campaigns/${second.json.campaignId}/actions`, { body: { action: 'cancel' } });
  });

  it('sends, once resumed, to a lapsed customer; GET /runs/{runId} answers the run by its id alone', async () => {
    // Someone outside the 10 % control group, awake now, lapsed a year ago, with email consent.
    let profileId = unique('seed');
    while (inCampaignControl(WIN_BACK, profileId, 0.1)) profileId = unique('seed');
    const email = `${profileId}@example.com`;
    const put = await api('PUT', `/profiles/${profileId}`, {
      body: {
        email,
        firstName: 'Ada',
        timeZone: dayZone(),
        lastPurchaseAt: new Date(Date.now() - 400 * 86_400_000).toISOString(),
        consent: { email: { status: 'granted', source: 'web-form', timestamp: '2024-01-01T00:00:00Z' } },
      },
    });
    expect(put.status, put.text).toBe(201);
    const resumed = await api('POST', `/campaigns/${WIN_BACK}/actions`, { body: { action: 'resume' } });
    expect(resumed.status, resumed.text).toBe(200);
    const fired = await api('POST', `/campaigns/${WIN_BACK}/runs`);
    expect(fired.status, fired.text).toBe(202);
    const runId: string = fired.json.runId;
    const [mail] = await eventually(async () => {
      const mails = await emailsTo(email);
      return mails.length > 0 ? mails : undefined;
    }, 60_000);
    expect(mail?.subject).toBe('We miss you, Ada');
    await api('POST', `/campaigns/${WIN_BACK}/actions`, { body: { action: 'pause' } });

    const byId = await api('GET', `/runs/${runId}`);
    expect(byId.status, byId.text).toBe(200);
    expect(byId.headers.get('content-location')).toBe(`/campaigns/${WIN_BACK}/runs/${runId}`);
    const nested = (await api('GET', `/campaigns/${WIN_BACK}/runs/${runId}`)).json;
    expect(byId.json.runId).toBe(nested.runId);
    expect(byId.json.campaignId).toBe(WIN_BACK);
    expect((await api('GET', '/runs/run_nothing_20260101T000000Z')).status).toBe(404);
    expect((await api('GET', '/runs/not-a-run')).status).toBe(422);
  });

  it('still answers the runs the retired reactivation function recorded, without their scan position', async () => {
    const runId = 'reactivation-20261125T100000Z';
    await documentClient().send(
      new PutCommand({
        TableName: endpoints().tables.jobs!,
        Item: {
          pk: `RUN#${runId}`,
          sk: 'RUN',
          runId,
          campaign: 'reactivation',
          status: 'completed',
          scheduledTime: '2026-11-25T10:00:00.000Z',
          startedAt: '2026-11-25T10:00:01.000Z',
          finishedAt: '2026-11-25T10:03:00.000Z',
          attempts: 1,
          rules: { lapsedDays: 180, cooldownDays: 30 },
          counts: { selected: 3, sent: 2, failed: 0, skipped: 1, inDoubt: 0 },
          checkpoint: { segments: [] },
          leaseOwner: 'x',
          leaseUntil: 0,
        },
      }),
    );
    const res = await api('GET', `/runs/${runId}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      runId,
      campaign: 'reactivation',
      status: 'completed',
      scheduledTime: '2026-11-25T10:00:00.000Z',
      startedAt: '2026-11-25T10:00:01.000Z',
      finishedAt: '2026-11-25T10:03:00.000Z',
      attempts: 1,
      rules: { lapsedDays: 180, cooldownDays: 30 },
      counts: { selected: 3, sent: 2, failed: 0, skipped: 1, inDoubt: 0 },
    });
  });
});
