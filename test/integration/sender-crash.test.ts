import { SESv2Client } from '@aws-sdk/client-sesv2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/campaigns/campaign';
import { DynamoDbCampaignStore } from '../../functions/campaigns/dynamodb-campaign-store';
import { SesEmailSender } from '../../functions/channels/ses-email-sender';
import { DynamoDbOfferStore } from '../../functions/offers/dynamodb-offer-store';
import { DynamoDbRecipientProfiles } from '../../functions/runs/dynamodb-recipient-profiles';
import { DynamoDbRunStore } from '../../functions/runs/dynamodb-run-store';
import { DynamoDbSendRate } from '../../functions/runs/dynamodb-send-rate';
import { type SendBatchDeps, STALE_CLAIM_MS, sendBatch } from '../../functions/runs/send-batch';
import type { SendRecord } from '../../functions/runs/send-record';
import { newRun } from '../../functions/runs/start-run';
import { DynamoDbSuppressionStore } from '../../functions/suppressions/dynamodb-suppression-store';
import { DynamoDbTemplateStore } from '../../functions/templates/dynamodb-template-store';
import { emailsTo } from './mailbox';
import { api, documentClient, endpoints, unique } from './support';

/**
 * The sender killed mid-batch, at each point where a crash can leave a message half done, and its
 * batch redelivered: nobody gets two messages, and everyone ends with one or is counted in doubt.
 * The sender runs in-process with its real DynamoDB and SES adapters against the emulators; the
 * crash is a fault injected into one adapter call, as the import tests inject theirs.
 */

/** How many emails the SES store holds for the address. */
const emailsCountTo = async (address: string) => (await emailsTo(address)).length;

const consent = { email: { status: 'granted', source: 'web-form', timestamp: '2024-01-01T00:00:00Z' } };
const tag = unique('crash');
let campaign: Campaign;

class Crash extends Error {}

const tables = () => endpoints().tables;
const depsWith = (faults: {
  put?: (record: SendRecord) => 'before' | 'after' | undefined;
  now?: () => Date;
}): SendBatchDeps => {
  const runs = new DynamoDbRunStore(documentClient(), tables().jobs!);
  const put = runs.put.bind(runs);
  runs.put = async (record, expect) => {
    const when = faults.put?.(record);
    if (when === 'before') throw new Crash(`crash before writing ${record.status}`);
    const written = await put(record, expect);
    if (when === 'after') throw new Crash(`crash after writing ${record.status}`);
    return written;
  };
  const ses = new SesEmailSender(
    new SESv2Client({
      endpoint: endpoints().sesUrl,
      region: endpoints().region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { from: 'Rekindle <hello@example.com>' },
  );
  const templates = new DynamoDbTemplateStore(documentClient(), tables().campaigns!);
  const suppressions = new DynamoDbSuppressionStore(documentClient(), tables().suppressions!);
  return {
    runs,
    campaignStatus: async () => 'active',
    profiles: new DynamoDbRecipientProfiles(documentClient(), tables().profiles!),
    suppressedOf: (addresses) => suppressions.suppressedOf(addresses),
    smsOptedOut: async () => new Set(),
    templates,
    offers: new DynamoDbOfferStore(documentClient(), tables().jobs!),
    rate: new DynamoDbSendRate(documentClient(), tables().jobs!, async () => 100),
    dailyQuota: { remaining: async () => 1000, spend: () => undefined },
    email: ses,
    sms: { send: async () => ({ messageId: 'none' }), optedOutNumbers: async () => new Set() },
    requeue: async () => undefined,
    links: {
      unsubscribeUrl: () => 'https://example.com/unsubscribe?token=t',
      preferencesUrl: () => 'https://example.com/preferences?token=t',
      fromAddress: 'hello@example.com',
    },
    settings: {
      globalFrequencyCap: { perDay: 5, perWeek: 10 },
      defaultQuietHours: false,
      globalControlShare: 0,
      businessTimeZone: 'UTC',
    },
    inFlight: 1,
    ...(faults.now ? { now: faults.now } : {}),
  };
};

beforeAll(async () => {
  const segment = await api('POST', '/segments', {
    body: { name: `${tag} audience`, rule: { attribute: 'tags', op: 'contains', value: tag } },
  });
  const template = await api('POST', '/templates', {
    body: {
      name: `${tag} email`,
      channel: 'email',
      subject: 'Hi',
      html: '<p>{{ offer.code }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
    },
  });
  expect(template.status, template.text).toBe(201);
  const created = await api('POST', '/campaigns', {
    body: {
      name: `${tag} promo`,
      segmentId: segment.json.segmentId,
      channel: 'email',
      templateId: template.json.template.templateId,
      offer: { prefix: 'CRASH', validDays: 3 },
      quietHours: false,
      schedule: { type: 'manual' },
    },
  });
  expect(created.status, created.text).toBe(201);
  campaign = (await new DynamoDbCampaignStore(documentClient(), tables().campaigns!).get(
    created.json.campaignId,
  ))!;
});

/** A run of four recipients in one batch, the third of whom meets the crash. */
const scenario = async (name: string) => {
  const people = Array.from({ length: 4 }, (_, i) => ({
    id: `${tag}-${name}-${i}`,
    email: `${tag}-${name}-${i}@example.com`,
  }));
  for (const p of people) {
    const res = await api('PUT', `/profiles/${p.id}`, { body: { email: p.email, consent, tags: [tag] } });
    expect(res.status, res.text).toBe(201);
  }
  const templates = new DynamoDbTemplateStore(documentClient(), tables().campaigns!);
  const run = await newRun(
    campaign,
    { scheduledTime: new Date(Date.now() + Math.random() * 1000).toISOString(), trigger: 'manual' },
    templates,
    new Date(),
  );
  const runs = new DynamoDbRunStore(documentClient(), tables().jobs!);
  await runs.create(run.runId, { ...run, status: 'sending', startedAt: new Date().toISOString() });
  const message = {
    runId: run.runId,
    campaignId: campaign.campaignId,
    batch: '0.1.0',
    profileIds: people.map((p) => p.id),
  };
  return { people, message, runs, runId: run.runId, crashing: people[2]! };
};

/** The redelivery: after the visibility timeout, so the dead attempt's claims are stale. */
const later = () => new Date(Date.now() + STALE_CLAIM_MS + 1000);

describe('the sender killed mid-batch and its batch redelivered', () => {
  it('after the claim, before SES: that recipient is in doubt and gets nothing, the others one each', async () => {
    const s = await scenario('claim');
    const deps = depsWith({
      put: (r) => (r.status === 'sending' && r.profileId === s.crashing.id ? 'after' : undefined),
    });
    await expect(sendBatch(deps, s.message)).rejects.toThrow(Crash);
    await sendBatch(depsWith({ now: later }), s.message);
    const records = await s.runs.records(s.runId, s.message.profileIds);
    expect(records.get(s.crashing.id)?.status).toBe('in_doubt');
    expect(await emailsCountTo(s.crashing.email)).toBe(0);
    for (const p of s.people.filter((p) => p !== s.crashing)) {
      expect(records.get(p.id)?.status, p.id).toBe('sent');
      expect(await emailsCountTo(p.email), p.email).toBe(1);
    }
    const counts = await s.runs.countsOf(s.runId);
    expect(counts).toMatchObject({ sent: 3, in_doubt: 1 });
  });

  it('after SES took the message, before the settle: in doubt, with exactly the one message', async () => {
    const s = await scenario('ses');
    // SES took it; the settle never happened.
    const deps = depsWith({
      put: (r) => (r.status === 'sent' && r.profileId === s.crashing.id ? 'before' : undefined),
    });
    await expect(sendBatch(deps, s.message)).rejects.toThrow(Crash);
    await sendBatch(depsWith({ now: later }), s.message);
    await sendBatch(depsWith({ now: later }), s.message); // and once more: nothing changes
    const records = await s.runs.records(s.runId, s.message.profileIds);
    expect(records.get(s.crashing.id)?.status).toBe('in_doubt');
    for (const p of s.people) expect(await emailsCountTo(p.email), p.email).toBe(1);
    expect(await s.runs.countsOf(s.runId)).toMatchObject({ sent: 3, in_doubt: 1 });
  });

  it('after the settle: sent once, nobody in doubt', async () => {
    const s = await scenario('settle');
    const deps = depsWith({
      put: (r) => (r.status === 'sent' && r.profileId === s.crashing.id ? 'after' : undefined),
    });
    await expect(sendBatch(deps, s.message)).rejects.toThrow(Crash);
    // Redelivered at once (a duplicate message): the live claims are left alone, the rest is done.
    await sendBatch(depsWith({}), s.message);
    const records = await s.runs.records(s.runId, s.message.profileIds);
    for (const p of s.people) {
      expect(records.get(p.id)?.status, p.id).toBe('sent');
      expect(await emailsCountTo(p.email), p.email).toBe(1);
    }
    expect(await s.runs.countsOf(s.runId)).toMatchObject({ sent: 4 });
  });
});
