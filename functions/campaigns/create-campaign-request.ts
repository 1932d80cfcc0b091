import { z } from 'zod';
import { campaignInputSchema } from './campaign-definition';
import { PRESETS } from './win-back-preset';

/**
 * `POST /campaigns`: a whole definition, or `preset` and any fields overriding the preset's. One
 * object (not a union, whose errors name no field): without `preset` the campaign service checks
 * the definition in full and names every missing or faulty field.
 */
export const createCampaignRequestSchema = campaignInputSchema
  .partial()
  .extend({
    preset: z
      .enum(PRESETS)
      .optional()
      .meta({ description: 'A ready-made campaign (win-back); the other fields then override its own.' }),
  })
  .meta({
    id: 'CreateCampaignRequest',
    description: 'A CampaignInput (name, segmentId, channel, a message and schedule required), or a preset.',
  });
export type CreateCampaignRequest = z.infer<typeof createCampaignRequestSchema>;
