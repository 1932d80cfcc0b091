import { resourceEnv } from '../../lib/definition';
import { SesEmailSender } from '../channels/ses-email-sender';
import { SnsSmsSender } from '../channels/sns-sms-sender';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { normalizeEmail, normalizePhone } from '../profiles/normalize-contact';
import type { Profile } from '../profiles/profile';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { sesClient, snsClient } from '../shared/aws-clients';
import { NotFoundError, ValidationError } from '../shared/domain-errors';
import { logger } from '../shared/logger';
import { requiredEnv, setting } from '../shared/settings';
import { templateTestSendRequestSchema } from '../templates/template-requests';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();
const profiles = profileTableFromEnv();
const replyTo = setting('replyToAddress');
const senderId = setting('smsSenderId');
const senders = {
  email: new SesEmailSender(sesClient(), {
    from: setting('fromAddress'),
    ...(replyTo ? { replyTo } : {}),
    configurationSet: requiredEnv(resourceEnv.sesConfigurationSet),
  }),
  sms: new SnsSmsSender(snsClient(), senderId ? { senderId } : {}),
};

const EMPTY: Profile = {
  profileId: 'test',
  version: 1,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  provenance: { kind: 'internal', source: 'test-send' },
};

/** POST /templates/{templateId}/test-send: one real message marked as a test, in no campaign. */
export const handler = httpHandler(
  'test-send-template',
  { body: templateTestSendRequestSchema },
  async (req) => {
    const templateId = req.pathParameters.templateId ?? '';
    const template = await templates.get(templateId);
    const to =
      template.channel === 'email'
        ? normalizeEmail(req.body.to)
        : normalizePhone(req.body.to, setting('defaultCountry'));
    if (!to)
      throw new ValidationError([
        {
          path: 'to',
          message: template.channel === 'email' ? 'is not an email address' : 'is not a phone number',
        },
      ]);
    let profile = EMPTY;
    if (req.body.profileId) {
      const found = await profiles.get(req.body.profileId);
      if (!found) throw new NotFoundError(`No profile ${req.body.profileId}.`);
      profile = found;
    }
    const sent = await templates.testSend(templateId, to, profile, senders);
    // No address in the log: the message id finds it in SES.
    logger.info('test message sent', {
      templateId,
      version: template.version,
      ...sent,
      keyId: req.auth?.keyId,
    });
    return jsonResponse(202, sent);
  },
);
