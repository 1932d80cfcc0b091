import { CampaignReader } from '../campaigns/campaign-reader';
import { campaignStoreFromEnv } from '../campaigns/campaigns-from-env';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';

const campaigns = new CampaignReader(campaignStoreFromEnv());

export const handler = httpHandler('get-campaign', {}, async (req) =>
  jsonResponse(200, campaigns.view(await campaigns.get(req.pathParameters.campaignId ?? ''))),
);
