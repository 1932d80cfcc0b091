import { z } from 'zod';
import { campaignSchema } from '../campaigns/campaign';
import { campaignActionRequestSchema } from '../campaigns/campaign-action-request';
import { campaignInputSchema } from '../campaigns/campaign-definition';
import { createCampaignRequestSchema } from '../campaigns/create-campaign-request';
import type { RouteDoc } from './route-doc';

const json = ['application/json'];
const campaignViewSchema = z
  .intersection(
    campaignSchema,
    z.object({ nextFiringAt: z.string().optional().describe('The next scheduled firing, when active.') }),
  )
  .meta({ id: 'CampaignView' });

/** The campaign routes' documentation (functions in lib/campaign-functions.ts). */
export const campaignDocs: Record<string, RouteDoc> = {
  'create-campaign POST': {
    requestBody: { schema: createCampaignRequestSchema, mediaTypes: json },
    success: {
      status: 201,
      description: 'The campaign, active, with its Location.',
      schema: campaignViewSchema,
    },
    errors: [400, 413, 415, 422],
  },
  'list-campaigns GET': {
    success: {
      status: 200,
      description: 'Every campaign, newest first.',
      schema: z.object({ items: z.array(campaignViewSchema) }).meta({ id: 'CampaignList' }),
    },
    errors: [],
  },
  'get-campaign GET': {
    success: { status: 200, description: 'The campaign.', schema: campaignViewSchema },
    errors: [404],
  },
  'update-campaign PUT': {
    requestBody: { schema: campaignInputSchema, mediaTypes: json },
    success: { status: 200, description: 'The campaign’s new version.', schema: campaignViewSchema },
    errors: [400, 404, 409, 413, 415, 422],
  },
  'change-campaign-status POST': {
    requestBody: { schema: campaignActionRequestSchema, mediaTypes: json },
    success: { status: 200, description: 'The campaign after the action.', schema: campaignViewSchema },
    errors: [400, 404, 409, 413, 415, 422],
  },
};
