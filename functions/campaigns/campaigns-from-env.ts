import { resourceEnv } from '../../lib/definition';
import { DEFAULT_VALUE_TIERS } from '../scoring/value-tier';
import { parseScoringOptions } from '../scoring-job/scoring-options';
import { DynamoDbSegmentStore } from '../segments/dynamodb-segment-store';
import { documentClient, schedulerClient } from '../shared/aws-clients';
import { numberSetting, requiredEnv, setting } from '../shared/settings';
import { DynamoDbTemplateStore } from '../templates/dynamodb-template-store';
import { CampaignService } from './campaign-service';
import { campaignSettings } from './campaign-settings';
import { DynamoDbCampaignStore } from './dynamodb-campaign-store';
import { EventBridgeCampaignSchedules } from './eventbridge-campaign-schedules';
import type { WinBackSettings } from './win-back-preset';

/** The campaign store alone, for the functions that only read campaigns. */
export const campaignStoreFromEnv = () =>
  new DynamoDbCampaignStore(documentClient(), requiredEnv(resourceEnv.table('campaigns')));

/** The campaign service with its Scheduler schedules (functions granted manageCampaignSchedules). */
export const campaignServiceFromEnv = () => {
  const table = requiredEnv(resourceEnv.table('campaigns'));
  const client = documentClient();
  return new CampaignService({
    campaigns: new DynamoDbCampaignStore(client, table),
    segments: new DynamoDbSegmentStore(client, table),
    templates: new DynamoDbTemplateStore(client, table),
    schedules: new EventBridgeCampaignSchedules(schedulerClient(), {
      group: requiredEnv(resourceEnv.campaignScheduleGroup),
      targetArn: requiredEnv(resourceEnv.campaignScheduleTargetArn),
      roleArn: requiredEnv(resourceEnv.campaignSchedulerRoleArn),
      deadLetterArn: requiredEnv(resourceEnv.campaignScheduleDeadLetterArn),
    }),
    ...campaignSettings(),
  });
};

/** What the win-back preset takes from the settings (the old reactivation's, and the tiers). */
export const winBackSettingsFromEnv = (): WinBackSettings => ({
  lapsedDays: numberSetting('reactivationLapsedDays'),
  cooldownDays: numberSetting('reactivationCooldownDays'),
  valueTiers: (parseScoringOptions(setting('scoringOptions')).valueTiers ?? DEFAULT_VALUE_TIERS).tiers.map(
    (t) => t.name,
  ),
  minValueTier: setting('winBackMinValueTier'),
  subject: setting('reactivationSubject'),
  offer: setting('reactivationOffer'),
  cron: setting('reactivationSchedule'),
  timeZone: setting('scheduleTimezone'),
});
