import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SesEmailSender } from '../functions/channels/ses-email-sender';
import { composeEmail, listIdOf } from '../functions/runs/compose-message';
import { RECIPIENTS_PER_BATCH } from '../functions/runs/send-pipeline-shape';
import type { LocalEndpoints } from '../local/local-stack';
import { clearSes, localClient } from './campaign-stack';
import { type LoadResult, runLoad } from './load';

// The baselines of the uncapped campaign run, in process on the same emulators: the floor of any
// safe send (claim, send, settle) and bare SendEmail calls, at the pipeline's concurrency.

const FROM = 'Rekindle <hello@example.com>';

const loopClients = (endpoints: LocalEndpoints, concurrency: number, configurationSet: string) => {
  const ddb = localClient(endpoints, concurrency);
  const ses = new SESv2Client({
    endpoint: endpoints.sesUrl,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: { httpAgent: { keepAlive: true, maxSockets: concurrency } },
  });
  const sender = new SesEmailSender(ses, { from: FROM, configurationSet });
  const email = (to: string, profileId: string) =>
    composeEmail(
      {
        channel: 'email',
        subject: 'We miss you, Bench1',
        html: '<p>Hi Bench1,</p><p>Come back this week: 20 % off your next order.</p><p><a href="https://api.example.com/unsubscribe?token=x">Unsubscribe</a></p>',
        text: 'Hi Bench1,\n\nCome back this week: 20 % off your next order.\n\nUnsubscribe [https://api.example.com/unsubscribe?token=x]',
      },
      {
        to,
        kind: 'marketing',
        unsubscribeUrl: `${endpoints.apiUrl}/unsubscribe?token=${'x'.repeat(160)}`,
        listId: listIdOf(FROM, 'cmp_bench'),
        listName: 'bench',
        tags: { campaign: 'cmp_bench', run: 'run_bench', variant: '0', profile: profileId },
      },
    );
  return { ddb, ses, sender, email };
};

/**
 * The floor of a safe send, in process at `concurrency`: per recipient a conditional PutItem claim
 * of its send record in the jobs table, one SendEmail, an UpdateItem settle held to the claim.
 */
const safeSends = (
  endpoints: LocalEndpoints,
  clients: ReturnType<typeof loopClients>,
  runId: string,
  prefix: string,
) => {
  const claimId = `claim-${runId}`;
  return async (i: number) => {
    const profileId = `${prefix}-${i}`;
    const key = { pk: `RUN#${runId}`, sk: `SEND#${profileId}` };
    const claimedAt = new Date().toISOString();
    await clients.ddb.send(
      new PutCommand({
        TableName: endpoints.tables.jobs,
        Item: {
          ...key,
          runId,
          profileId,
          batch: String(Math.floor(i / RECIPIENTS_PER_BATCH)),
          status: 'sending',
          channel: 'email',
          variant: 0,
          claimId,
          claimedAt,
          at: claimedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    const { messageId } = await clients.sender.send(
      clients.email(`${prefix}.${i}@bench.example.com`, profileId),
    );
    const at = new Date().toISOString();
    await clients.ddb.send(
      new UpdateCommand({
        TableName: endpoints.tables.jobs,
        Key: key,
        UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at, #at = :at REMOVE claimId',
        ConditionExpression: '#status = :sending AND claimId = :claim',
        ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':claim': claimId,
          ':id': messageId,
          ':at': at,
        },
      }),
    );
    return true;
  };
};

/**
 * Both loops over `recipients` at `concurrency` (after 200 of each to warm JIT and sockets), each
 * on an empty SES store; the store is emptied after them.
 */
export const sendLoops = async (
  endpoints: LocalEndpoints,
  configurationSet: string,
  recipients: number,
  concurrency: number,
  tag: string,
): Promise<{ floor: LoadResult; bareSend: LoadResult }> => {
  const clients = loopClients(endpoints, concurrency, configurationSet);
  const bare = (prefix: string) => async (i: number) => {
    await clients.sender.send(clients.email(`${prefix}.${i}@bench.example.com`, `${prefix}-${i}`));
    return true;
  };
  try {
    await runLoad(200, concurrency, safeSends(endpoints, clients, `run_warm_${tag}`, `cb-${tag}-fw`));
    await runLoad(200, concurrency, bare(`cb-${tag}-bw`));
    await clearSes(endpoints);
    const floor = await runLoad(
      recipients,
      concurrency,
      safeSends(endpoints, clients, `run_floor_${tag}`, `cb-${tag}-floor`),
    );
    await clearSes(endpoints);
    const bareSend = await runLoad(recipients, concurrency, bare(`cb-${tag}-bare`));
    await clearSes(endpoints);
    return { floor, bareSend };
  } finally {
    clients.ddb.destroy();
    clients.ses.destroy();
  }
};
