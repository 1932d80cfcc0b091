import type { Segment, SegmentInput } from '../segments/segment';
import { NotFoundError } from '../shared/domain-errors';
import type { Template, TemplateInput } from '../templates/template';
import type { Campaign } from './campaign';
import { createFromPreset } from './create-from-preset';
import type { WinBackSettings } from './win-back-preset';

// The migration of the built-in weekly win-back: the first deployment of this version creates the
// win-back preset's campaign from the settings the old run read, so an existing installation keeps
// its weekly win-back, now a campaign a marketer can see, change, pause or cancel.
//
// Deployment hooks run again (CloudFormation retries, every local start): everything made here has
// a natural key, each step finds what an interrupted earlier attempt made instead of making it
// twice, and a marker written last says the seed is done, so a campaign a marketer later cancelled
// (or whose segment they deleted) is never brought back.

export const SEEDED_WIN_BACK = {
  campaignId: 'cmp_winback',
  segmentId: 'seg_winback',
  emailTemplateId: 'tpl_winbackemail',
  smsTemplateId: 'tpl_winbacksms',
} as const;

export const SEED_STATUSES = ['active', 'paused', 'none'] as const;
export type SeedStatus = (typeof SEED_STATUSES)[number];

export interface SeedMarker {
  readonly seed: 'win-back';
  readonly at: string;
  /** The campaign made, or none when the setting asked for none. */
  readonly campaignId?: string;
  readonly status: SeedStatus;
}

export interface SeedDeps {
  readonly segments: {
    get(segmentId: string): Promise<Segment>;
    create(input: SegmentInput, segmentId: string): Promise<Segment>;
    update(segmentId: string, input: SegmentInput): Promise<Segment>;
    delete(segmentId: string): Promise<void>;
  };
  readonly templates: {
    get(templateId: string): Promise<Template>;
    create(input: TemplateInput, templateId: string): Promise<{ template: Template }>;
    delete(templateId: string): Promise<void>;
  };
  readonly campaigns: {
    get(campaignId: string): Promise<Campaign>;
    create(input: unknown, campaignId: string): Promise<Campaign>;
    act(campaignId: string, action: 'pause'): Promise<Campaign>;
  };
  readonly markers: {
    get(): Promise<SeedMarker | undefined>;
    put(marker: SeedMarker): Promise<void>;
  };
  readonly settings: WinBackSettings;
  /** `winBackOnFirstDeployment`. */
  readonly status: SeedStatus;
  readonly now?: () => Date;
}

export type SeedOutcome =
  | { readonly outcome: 'created'; readonly campaign: Campaign }
  | { readonly outcome: 'already-seeded'; readonly marker: SeedMarker }
  | { readonly outcome: 'none' };

const found = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
};

/** What was made by an earlier attempt, or made now under its natural key. */
const getOrCreate = async <T>(read: () => Promise<T>, create: () => Promise<T>): Promise<T> =>
  (await found(read)) ?? create();

export const seedWinBack = async (deps: SeedDeps): Promise<SeedOutcome> => {
  const now = deps.now ?? (() => new Date());
  const marker = await deps.markers.get();
  if (marker) return { outcome: 'already-seeded', marker };
  if (deps.status === 'none') {
    await deps.markers.put({ seed: 'win-back', at: now().toISOString(), status: 'none' });
    return { outcome: 'none' };
  }
  const ids = SEEDED_WIN_BACK;
  let campaign = await createFromPreset(
    {
      settings: deps.settings,
      segments: {
        create: (input) =>
          getOrCreate(
            () => deps.segments.get(ids.segmentId),
            () => deps.segments.create(input, ids.segmentId),
          ),
        update: (id, input) => deps.segments.update(id, input),
        delete: (id) => deps.segments.delete(id),
      },
      templates: {
        create: async (input) => {
          const id = input.channel === 'sms' ? ids.smsTemplateId : ids.emailTemplateId;
          const template = await found(() => deps.templates.get(id));
          return template ? { template } : deps.templates.create(input, id);
        },
        delete: (id) => deps.templates.delete(id),
      },
      campaigns: {
        create: (input) =>
          getOrCreate(
            () => deps.campaigns.get(ids.campaignId),
            () => deps.campaigns.create(input, ids.campaignId),
          ),
      },
    },
    { preset: 'win-back' },
  );
  if (deps.status === 'paused' && campaign.status === 'active')
    campaign = await deps.campaigns.act(campaign.campaignId, 'pause');
  await deps.markers.put({
    seed: 'win-back',
    at: now().toISOString(),
    campaignId: campaign.campaignId,
    status: deps.status,
  });
  return { outcome: 'created', campaign };
};
