import { NotFoundError } from '../shared/domain-errors';
import { CAMPAIGN_ID_PATTERN, type Campaign } from './campaign';
import { nextFiring } from './campaign-schedule';
import type { CampaignStore } from './campaign-store';

/** A campaign as the API shows it: with its next scheduled firing (computed, never stored). */
export type CampaignView = Campaign & { readonly nextFiringAt?: string };

/** Reading campaigns: what the read-only functions need (no Scheduler, no other tables). */
export class CampaignReader {
  constructor(
    private readonly store: Pick<CampaignStore, 'get' | 'list'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  view(campaign: Campaign): CampaignView {
    const next = campaign.status === 'active' ? nextFiring(campaign.schedule, this.now()) : undefined;
    return { ...campaign, ...(next ? { nextFiringAt: next.toISOString() } : {}) };
  }

  async get(campaignId: string): Promise<Campaign> {
    const campaign = CAMPAIGN_ID_PATTERN.test(campaignId) ? await this.store.get(campaignId) : undefined;
    if (!campaign) throw new NotFoundError(`No campaign ${campaignId}.`);
    return campaign;
  }

  list(): Promise<Campaign[]> {
    return this.store.list();
  }
}
