import { campaignServiceFromEnv, winBackSettingsFromEnv } from '../campaigns/campaigns-from-env';
import { createCampaignRequestSchema } from '../campaigns/create-campaign-request';
import { createFromPreset } from '../campaigns/create-from-preset';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { segmentServiceFromEnv } from '../segments/segments-from-env';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const campaigns = campaignServiceFromEnv();
const segments = segmentServiceFromEnv();
const templates = templateServiceFromEnv();
const winBack = winBackSettingsFromEnv();

/**
 * POST /campaigns: 201 with the campaign (active) and its next firing; 422 naming every fault. With
 * `preset`, the preset's segment and templates are made first (see win-back-preset.ts).
 */
export const handler = httpHandler('create-campaign', { body: createCampaignRequestSchema }, async (req) => {
  const body = req.body;
  let campaign: Awaited<ReturnType<typeof campaigns.create>>;
  const { preset, ...definition } = body;
  if (preset === undefined) campaign = await campaigns.create(definition);
  else
    campaign = await createFromPreset(
      { segments, templates, campaigns, settings: winBack },
      { ...definition, preset },
    );
  return jsonResponse(201, campaigns.view(campaign), { location: `/campaigns/${campaign.campaignId}` });
});
