import { campaignInputSchema } from '../campaigns/campaign-definition';
import { campaignServiceFromEnv } from '../campaigns/campaigns-from-env';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';

const campaigns = campaignServiceFromEnv();

/** POST /campaigns: 201 with the campaign (active) and its next firing; 422 naming every fault. */
export const handler = httpHandler('create-campaign', { body: campaignInputSchema }, async (req) => {
  const campaign = await campaigns.create(req.body);
  return jsonResponse(201, campaigns.view(campaign), { location: `/campaigns/${campaign.campaignId}` });
});
