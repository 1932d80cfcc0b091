import { CampaignReader } from '../campaigns/campaign-reader';
import { campaignStoreFromEnv } from '../campaigns/campaigns-from-env';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';

const campaigns = new CampaignReader(campaignStoreFromEnv());

export const handler = httpHandler('list-campaigns', {}, async () =>
  jsonResponse(200, { items: (await campaigns.list()).map((c) => campaigns.view(c)) }),
);
