import { z } from 'zod';
import { resourceEnv } from '../../lib/definition';
import { DynamoDbRunStore } from '../campaigns/dynamodb-run-store';
import { reactivationRunId, runReactivation } from '../campaigns/run-reactivation';
import { unsubscribeSecret } from '../campaigns/unsubscribe-secret';
import { SesEmailSender } from '../channels/ses-email-sender';
import { SnsSmsSender } from '../channels/sns-sms-sender';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { documentClient, sesClient, snsClient } from '../shared/aws-clients';
import { logger } from '../shared/logger';
import { numberSetting, requiredEnv, setting } from '../shared/settings';

/** What EventBridge Scheduler delivers (see the schedule trigger's input in lib/definition.ts). */
export const reactivationInputSchema = z.object({
  campaign: z.literal('reactivation').default('reactivation'),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

const runs = new DynamoDbRunStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));
const replyTo = setting('replyToAddress');
const mailto = setting('unsubscribeMailto');
const senderId = setting('smsSenderId');

export const handler = async (event: unknown) => {
  const input = reactivationInputSchema.parse(event ?? {});
  const scheduledTime = input.scheduledTime ?? new Date().toISOString();
  const runId = reactivationRunId(scheduledTime);
  const run = await runReactivation(
    {
      profiles: profileTableFromEnv(),
      runs,
      email: new SesEmailSender(sesClient(), {
        from: setting('fromAddress'),
        ...(replyTo ? { replyTo } : {}),
        configurationSet: requiredEnv(resourceEnv.sesConfigurationSet),
      }),
      sms: new SnsSmsSender(snsClient(), senderId ? { senderId } : {}),
      unsubscribeSecret: await unsubscribeSecret(),
      publicApiUrl: requiredEnv(resourceEnv.publicApiUrl),
      ...(mailto ? { unsubscribeMailto: mailto } : {}),
      copy: { subjectTemplate: setting('reactivationSubject'), offer: setting('reactivationOffer') },
    },
    { runId, scheduledTime },
    {
      lapsedDays: numberSetting('reactivationLapsedDays'),
      cooldownDays: numberSetting('reactivationCooldownDays'),
    },
  );
  logger.info('reactivation run finished', { runId, counts: run.counts, attempts: run.attempts });
  return { runId, counts: run.counts };
};
