import { z } from 'zod';
import { CAMPAIGN_ACTIONS } from './campaign-action';

export const campaignActionRequestSchema = z
  .strictObject({ action: z.enum(CAMPAIGN_ACTIONS) })
  .meta({ id: 'CampaignActionRequest' });
