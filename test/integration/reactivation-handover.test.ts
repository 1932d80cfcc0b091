/**
 * The win-back as a long job on DynamoDB Local: a run whose invocations have time for only a few
 * messages each checkpoints its parallel scan (real LastEvaluatedKeys, four segments) and hands
 * over until done; every lapsed customer gets exactly one message, and nothing is counted twice.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCampaignRunStore } from '../../functions/campaigns/dynamodb-campaign-run-store';
import { type CampaignRunMessage, runReactivation } from '../../functions/campaigns/run-reactivation';
import type { EmailSender } from '../../functions/channels/email-sender';
import { DynamoDbProfileTable } from '../../functions/profiles/dynamodb-profile-table';
import { replaceProfile } from '../../functions/profiles/profile-changes';
import { documentClient, endpoints, unique } from './support';

const PEOPLE = 120;
const table = unique('handover-profiles');
const granted = { status: 'granted' as const, source: 'web', timestamp: '2024-01-01T00:00:00Z' };

beforeAll(async () => {
  const dynamodb = new DynamoDBClient({
    endpoint: endpoints().dynamodbEndpoint,
    region: endpoints().region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'profileId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'profileId', KeyType: 'HASH' }],
    }),
  );
  const items = Array.from({ length: PEOPLE }, (_, i) =>
    replaceProfile(
      `h${String(i).padStart(4, '0')}`,
      i % 10 === 0
        ? { externalId: `store-${i}`, lastPurchaseAt: '2024-01-01T00:00:00Z' } // no contact point
        : {
            email: `h${i}@example.com`,
            lastPurchaseAt: i % 10 === 1 ? '2026-11-20T00:00:00Z' : '2024-01-01T00:00:00Z', // one in ten active
            consent: { email: granted },
          },
      undefined,
      '2024-01-01T00:00:00Z',
    ),
  );
  for (let i = 0; i < items.length; i += 25)
    await documentClient().send(
      new BatchWriteCommand({
        RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  return async () => {
    await dynamodb.send(new DeleteTableCommand({ TableName: table }));
  };
});

describe('a win-back run too large for one invocation', () => {
  it('checkpoints, hands over and finishes, messaging every lapsed customer exactly once', async () => {
    const sent: string[] = [];
    const email: EmailSender = {
      send: async (message) => {
        sent.push(message.to);
        return { messageId: `m-${sent.length}` };
      },
    };
    const runs = new DynamoDbCampaignRunStore(documentClient(), endpoints().tables.jobs);
    const queue: CampaignRunMessage[] = [];
    const scheduledTime = new Date().toISOString();
    const input = { runId: unique('reactivation'), scheduledTime };
    // Pages read, over all invocations: a continuation reads on, it does not start over.
    let pages = 0;
    const profiles = new DynamoDbProfileTable(documentClient(), table);
    const counted: Pick<DynamoDbProfileTable, 'get' | 'scanAttributes' | 'markReactivated'> = {
      get: (id) => profiles.get(id),
      markReactivated: (id, at) => profiles.markReactivated(id, at),
      scanAttributes: (attributes, onPage, options) =>
        profiles.scanAttributes(
          attributes,
          (page, after) => {
            pages++;
            return onPage(page, after);
          },
          options,
        ),
    };
    const onePass = (await profiles.scanAttributes(['profileId'], () => undefined, { pageSize: 10 })).length;
    let onePassPages = 0;
    await profiles.scanAttributes(['profileId'], () => void onePassPages++, { pageSize: 10 });
    expect(onePass).toBe(4);
    const invocation = (n: number) => {
      const budget = sent.length + 15; // each invocation has time for about fifteen messages
      return {
        profiles: counted,
        runs,
        email,
        sms: { send: async () => ({ messageId: 'x' }), optedOutNumbers: async () => new Set<string>() },
        unsubscribeSecret: 'secret',
        publicApiUrl: 'https://api.example.com',
        copy: { subjectTemplate: 'Hi', offer: 'Offer' },
        pageSize: 10,
        owner: `invocation-${n}`,
        remainingMs: () => (sent.length >= budget ? 1_000 : 900_000),
        continueLater: async (message: CampaignRunMessage) => void queue.push(message),
      };
    };
    const rules = { lapsedDays: 180, cooldownDays: 30 };
    let step = await runReactivation(invocation(1), input, rules);
    let invocations = 1;
    while (step.outcome === 'continued') {
      const message = queue.shift()!;
      expect(message).toEqual({ rekindleCampaignRun: input });
      step = await runReactivation(
        invocation(++invocations),
        { ...message.rekindleCampaignRun, continuation: true },
        rules,
      );
    }
    expect(step.outcome).toBe('finished');
    // 96 messages at about 15 an invocation; four segments each finish the page they are on.
    expect(invocations).toBeGreaterThanOrEqual(3);
    expect(sent).toHaveLength(96);
    expect(new Set(sent).size).toBe(96);
    const run = await runs.get(input.runId);
    expect(run).toMatchObject({
      status: 'completed',
      attempts: 1,
      invocations,
      counts: { selected: 108, sent: 96, skipped: 12, skippedByReason: { no_contact_point: 12 } },
    });
    expect(run?.checkpoint).toBeUndefined();
    // Each page once, except the page a crash or hand-over interrupted (none here): no rescans.
    expect(pages).toBe(onePassPages);
  });
});
