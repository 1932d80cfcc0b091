import { z } from 'zod';
import { campaignInputSchema } from './campaign-definition';

// A stored campaign: the definition as validated (kind filled in) plus identity, status, version
// and timestamps. What is derived (the next firing, the last runs) is computed when read, not
// stored, so it can never disagree with the schedule.

export const CAMPAIGN_ID_PATTERN = /^cmp_[A-Za-z0-9]{1,40}$/;

export const CAMPAIGN_STATUSES = ['active', 'paused', 'cancelled'] as const;
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES).meta({
  description:
    'active: fires on its schedule and can be fired; paused: neither, until resumed; cancelled: for good.',
});
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

const timestamp = z.iso.datetime({ offset: true });

export const campaignSchema = campaignInputSchema
  .extend({
    campaignId: z.string().regex(CAMPAIGN_ID_PATTERN),
    status: campaignStatusSchema,
    /** 1 when created, one more on every change (definition or status): the ETag of the campaign. */
    version: z.number().int().min(1),
    createdAt: timestamp,
    updatedAt: timestamp,
    /** When the status last changed to what it is. */
    statusChangedAt: timestamp.optional(),
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof campaignSchema>;
