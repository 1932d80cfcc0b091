import { resourceEnv } from '../../lib/definition';
import { campaignSettings } from '../campaigns/campaign-settings';
import type { CampaignSettings } from '../campaigns/recipient-decision';
import { documentClient, sqsClient } from '../shared/aws-clients';
import { numberSetting, requiredEnv, setting } from '../shared/settings';
import { sqsMessages } from '../sqs/sqs-messages';
import { DynamoDbRunStore } from './dynamodb-run-store';
import type { RunMessage, SendBatchMessage } from './run-messages';

export const runStoreFromEnv = () =>
  new DynamoDbRunStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

/** The campaign-starts queue: firings, manual fires, continuations (delayed up to 15 minutes). */
export const runStartsFromEnv = () => {
  const send = sqsMessages<RunMessage>(sqsClient(), requiredEnv(resourceEnv.queueUrl('campaignStarts')));
  return (message: RunMessage, delaySeconds = 0) => send([message], delaySeconds);
};

/** The campaign-sends queue: batches of recipients, and their deferrals. */
export const sendQueueFromEnv = () =>
  sqsMessages<SendBatchMessage>(sqsClient(), requiredEnv(resourceEnv.queueUrl('campaignSends')));

/** Everything the per-recipient rules take from the settings. */
export const recipientSettingsFromEnv = (): CampaignSettings => ({
  ...campaignSettings(),
  globalControlShare: numberSetting('globalControlShare'),
  businessTimeZone: setting('scheduleTimezone'),
});
