import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { resourceEnv } from '../../lib/definition';
import { campaignStoreFromEnv } from '../campaigns/campaigns-from-env';
import { unsubscribeSecret } from '../campaigns/unsubscribe-secret';
import { signUnsubscribeToken } from '../campaigns/unsubscribe-token';
import { SesEmailSender } from '../channels/ses-email-sender';
import { SnsSmsSender } from '../channels/sns-sms-sender';
import { DynamoDbOfferStore } from '../offers/dynamodb-offer-store';
import { DynamoDbRecipientProfiles } from '../runs/dynamodb-recipient-profiles';
import { DynamoDbSendRate } from '../runs/dynamodb-send-rate';
import { sendBatchMessageSchema } from '../runs/run-messages';
import { recipientSettingsFromEnv, runStoreFromEnv, sendQueueFromEnv } from '../runs/runs-from-env';
import { sendBatch } from '../runs/send-batch';
import { SENDS_IN_FLIGHT_PER_SENDER } from '../runs/send-pipeline-shape';
import { SesSendQuota } from '../runs/ses-send-quota';
import { documentClient, sesClient, snsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { METRIC, MetricUnit, metrics } from '../shared/metrics';
import { observed } from '../shared/observed';
import { numberSetting, requiredEnv, setting } from '../shared/settings';
import { suppressionStoreFromEnv } from '../suppressions/suppressions-from-env';
import { DynamoDbTemplateStore } from '../templates/dynamodb-template-store';
import type { Template } from '../templates/template';

const jobsTable = requiredEnv(resourceEnv.table('jobs'));
const runs = runStoreFromEnv();
const campaigns = campaignStoreFromEnv();
const templateStore = new DynamoDbTemplateStore(
  documentClient(),
  requiredEnv(resourceEnv.table('campaigns')),
);
const profiles = new DynamoDbRecipientProfiles(documentClient(), requiredEnv(resourceEnv.table('profiles')));
const suppressions = suppressionStoreFromEnv();
const offers = new DynamoDbOfferStore(documentClient(), jobsTable);
const quota = new SesSendQuota(sesClient());
const emailCap = numberSetting('emailRatePerSecond');
const smsCap = numberSetting('smsRatePerSecond');
const rate = new DynamoDbSendRate(documentClient(), jobsTable, async (channel) => {
  if (channel === 'sms') return smsCap;
  const { maxSendRate } = await quota.quota();
  return emailCap > 0 ? Math.min(emailCap, maxSendRate) : maxSendRate;
});
const from = setting('fromAddress');
const replyTo = setting('replyToAddress');
const mailto = setting('unsubscribeMailto');
const senderId = setting('smsSenderId');
const email = new SesEmailSender(sesClient(), {
  from,
  ...(replyTo ? { replyTo } : {}),
  configurationSet: requiredEnv(resourceEnv.sesConfigurationSet),
});
const sms = new SnsSmsSender(snsClient(), senderId ? { senderId } : {});
const publicApiUrl = requiredEnv(resourceEnv.publicApiUrl).replace(/\/+$/, '');
const settings = recipientSettingsFromEnv();
const requeue = sendQueueFromEnv();

// Template versions never change: each is read once per container.
const versions = new Map<string, Promise<Template | undefined>>();
const templateVersion = (templateId: string, version: number) => {
  const key = `${templateId}#${version}`;
  if (!versions.has(key)) versions.set(key, templateStore.getVersion(templateId, version));
  return versions.get(key)!;
};
// Who opted out of SMS changes slowly (STOP replies): read once a minute per container.
let optedOut: { at: number; numbers: Promise<ReadonlySet<string>> } | undefined;
const smsOptedOut = () => {
  if (!optedOut || Date.now() - optedOut.at > 60_000) {
    optedOut = { at: Date.now(), numbers: sms.optedOutNumbers() };
    optedOut.numbers.catch(() => {
      optedOut = undefined;
    });
  }
  return optedOut.numbers;
};

const processor = new BatchProcessor(EventType.SQS);

const one = async (record: SQSRecord, context: Context): Promise<void> => {
  const message = sendBatchMessageSchema.parse(JSON.parse(record.body));
  const secret = await unsubscribeSecret();
  const link = (path: string) => (claim: Parameters<typeof signUnsubscribeToken>[1]) =>
    `${publicApiUrl}${path}?token=${signUnsubscribeToken(secret, claim)}`;
  const outcome = await sendBatch(
    {
      runs,
      campaignStatus: async (campaignId) => (await campaigns.get(campaignId))?.status,
      profiles,
      suppressedOf: (addresses) => suppressions.suppressedOf(addresses),
      smsOptedOut,
      templates: { getVersion: templateVersion },
      offers,
      rate,
      dailyQuota: quota,
      email,
      sms,
      requeue: (next, delaySeconds) => requeue([next], delaySeconds),
      // Until the preference centre exists, its link is the unsubscribe page.
      links: {
        unsubscribeUrl: link('/unsubscribe'),
        preferencesUrl: link('/unsubscribe'),
        fromAddress: from,
        ...(mailto ? { unsubscribeMailto: mailto } : {}),
      },
      settings,
      smsOptOut: setting('smsOptOutText'),
      claimId: `${context.awsRequestId}:${record.messageId}`,
      inFlight: SENDS_IN_FLIGHT_PER_SENDER,
      remainingMs: () => context.getRemainingTimeInMillis(),
      onThrottled: () => metrics.addMetric(METRIC.messagesThrottled, MetricUnit.Count, 1),
    },
    message,
  );
  if (outcome.sent) metrics.addMetric(METRIC.messagesSent, MetricUnit.Count, outcome.sent);
  logger.info('send batch handled', { runId: message.runId, batch: message.batch, ...outcome });
};

/**
 * The campaign-sends queue: each message a batch of one run's recipients. A batch that fails is
 * reported alone (Powertools' partial batch response) and comes back after the visibility
 * timeout, when its records tell what was done: nobody is sent twice.
 */
export const handler = observed(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, (record: SQSRecord) => one(record, context), processor, {
      context,
      throwOnFullBatchFailure: false,
    }),
);
