import { campaignActionRequestSchema } from '../campaigns/campaign-action-request';
import { campaignServiceFromEnv } from '../campaigns/campaigns-from-env';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { logger } from '../shared/logger';

const campaigns = campaignServiceFromEnv();

/** POST /campaigns/{campaignId}/actions: pause, resume or cancel; 409 for what cannot be done. */
export const handler = httpHandler(
  'change-campaign-status',
  { body: campaignActionRequestSchema },
  async (req) => {
    const campaignId = req.pathParameters.campaignId ?? '';
    const campaign = await campaigns.act(campaignId, req.body.action);
    logger.info('campaign status changed', {
      campaignId,
      action: req.body.action,
      status: campaign.status,
      keyId: req.auth?.keyId,
    });
    return jsonResponse(200, campaigns.view(campaign));
  },
);
