import { campaignInputSchema } from '../campaigns/campaign-definition';
import { campaignServiceFromEnv } from '../campaigns/campaigns-from-env';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';

const campaigns = campaignServiceFromEnv();

/** PUT /campaigns/{campaignId}: the new version, its schedule changed with it. */
export const handler = httpHandler('update-campaign', { body: campaignInputSchema }, async (req) =>
  jsonResponse(200, campaigns.view(await campaigns.update(req.pathParameters.campaignId ?? '', req.body))),
);
