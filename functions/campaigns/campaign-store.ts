import type { Campaign } from './campaign';

/** What a campaign refers to: its segment and its templates, kept in their `usedBy`. */
export interface CampaignReferences {
  readonly segments: readonly string[];
  readonly templates: readonly string[];
}

export type CampaignWriteRefusal =
  | { readonly kind: 'changed' }
  | { readonly kind: 'missing-segment'; readonly segmentId: string }
  | { readonly kind: 'missing-template'; readonly templateId: string };

/**
 * Campaigns. Every write keeps the referenced segments' and templates' `usedBy` true in the same
 * transaction (so neither can be deleted while a campaign that is not cancelled uses it).
 */
export interface CampaignStore {
  get(campaignId: string): Promise<Campaign | undefined>;
  /** Every campaign, newest first (at most MAX_CAMPAIGNS). */
  list(): Promise<Campaign[]>;
  create(campaign: Campaign, references: CampaignReferences): Promise<CampaignWriteRefusal | undefined>;
  /** Replaces `previous` (compare and set on its version) with `next`, moving references. */
  update(
    next: Campaign,
    previous: Campaign,
    references: { readonly added: CampaignReferences; readonly removed: CampaignReferences },
  ): Promise<CampaignWriteRefusal | undefined>;
}

export const MAX_CAMPAIGNS = 1000;
