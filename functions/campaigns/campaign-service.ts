import type { SegmentStore } from '../segments/segment-store';
import { ConflictError, ValidationError } from '../shared/domain-errors';
import { newId } from '../shared/new-id';
import { readsVariable } from '../templates/compile-template';
import type { TemplateStore } from '../templates/template-store';
import { validateTemplate } from '../templates/validate-template';
import type { Campaign } from './campaign';
import { type CampaignAction, campaignAction } from './campaign-action';
import type { CampaignDefinition } from './campaign-definition';
import { CampaignReader, type CampaignView } from './campaign-reader';
import { schedulerExpression } from './campaign-schedule';
import type { CampaignSchedules } from './campaign-schedules';
import type { CampaignReferences, CampaignStore, CampaignWriteRefusal } from './campaign-store';
import { templateIdsOf } from './campaign-templates';
import { type TemplateFacts, validateCampaignDefinition } from './check-campaign-definition';
import type { FrequencyCaps } from './frequency-cap';
import type { QuietHours } from './quiet-hours';

export interface CampaignServiceDeps {
  readonly campaigns: CampaignStore;
  readonly segments: Pick<SegmentStore, 'get'>;
  readonly templates: Pick<TemplateStore, 'get'>;
  readonly schedules: CampaignSchedules;
  readonly globalFrequencyCap: FrequencyCaps;
  readonly defaultQuietHours: QuietHours | false;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

const referencesOf = (d: CampaignDefinition): CampaignReferences => ({
  segments: [d.segmentId],
  templates: templateIdsOf(d),
});
const NONE: CampaignReferences = { segments: [], templates: [] };
const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

const refusalError = (refusal: CampaignWriteRefusal): Error =>
  refusal.kind === 'missing-segment'
    ? new ValidationError([
        { path: 'segmentId', message: `segment ${refusal.segmentId} was deleted meanwhile` },
      ])
    : refusal.kind === 'missing-template'
      ? new ValidationError([
          { path: 'templateId', message: `template ${refusal.templateId} was deleted meanwhile` },
        ])
      : new ConflictError('The campaign changed meanwhile; read it again and retry.');

/**
 * Defining campaigns and changing their state. A definition is checked against the segments and
 * templates it names; the store keeps their `usedBy` in the same write. The Scheduler schedule is
 * put before the campaign is saved and removed after: a firing that finds no campaign, or one not
 * active, starts no run, so a crash between the two never leaves a campaign that silently never fires.
 */
export class CampaignService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  private readonly reader: CampaignReader;

  constructor(private readonly deps: CampaignServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => newId('cmp'));
    this.reader = new CampaignReader(deps.campaigns, this.now);
  }

  view(campaign: Campaign): CampaignView {
    return this.reader.view(campaign);
  }

  get(campaignId: string): Promise<Campaign> {
    return this.reader.get(campaignId);
  }

  list(): Promise<Campaign[]> {
    return this.reader.list();
  }

  private async check(input: unknown, previous?: Campaign): Promise<CampaignDefinition> {
    const raw = input as Partial<CampaignDefinition>;
    const segmentIds = typeof raw?.segmentId === 'string' ? [raw.segmentId] : [];
    const segmentsFound = new Set<string>();
    for (const id of segmentIds) if (await this.deps.segments.get(id)) segmentsFound.add(id);
    const facts = new Map<string, TemplateFacts>();
    let ids: string[] = [];
    try {
      ids = templateIdsOf(raw as CampaignDefinition);
    } catch {
      // A malformed definition: the schema check below says what is wrong.
    }
    for (const id of ids) {
      const template = await this.deps.templates.get(id);
      if (!template) continue;
      const validation = validateTemplate(template);
      const variables = validation.ok ? Object.values(validation.variables).flat() : [];
      facts.set(id, {
        channel: template.channel,
        kind: template.kind,
        readsOffer: readsVariable(variables, 'offer'),
      });
    }
    const result = validateCampaignDefinition(input, {
      now: this.now(),
      segmentExists: (id) => segmentsFound.has(id),
      template: (id) => facts.get(id),
      globalFrequencyCap: this.deps.globalFrequencyCap,
      defaultQuietHours: this.deps.defaultQuietHours,
      ...(previous?.controlGroup ? { previousControlShare: previous.controlGroup.share } : {}),
    });
    if (!result.ok) throw new ValidationError(result.errors, 'The campaign is not valid.');
    return result.definition;
  }

  private async schedule(campaign: Campaign): Promise<void> {
    const timing = schedulerExpression(campaign.schedule);
    if (timing && campaign.status !== 'cancelled')
      await this.deps.schedules.put(campaign.campaignId, timing, { enabled: campaign.status === 'active' });
    else await this.deps.schedules.remove(campaign.campaignId);
  }

  /** `campaignId` is new unless given (a natural key, for what the deployment creates). */
  async create(input: unknown, campaignId = this.newId()): Promise<Campaign> {
    const definition = await this.check(input);
    const at = this.now().toISOString();
    const campaign: Campaign = {
      ...definition,
      campaignId,
      status: 'active',
      version: 1,
      createdAt: at,
      updatedAt: at,
      statusChangedAt: at,
    };
    await this.schedule(campaign);
    const refusal = await this.deps.campaigns.create(campaign, referencesOf(definition));
    if (refusal) {
      await this.deps.schedules.remove(campaign.campaignId);
      throw refusalError(refusal);
    }
    return campaign;
  }

  async update(campaignId: string, input: unknown): Promise<Campaign> {
    const previous = await this.get(campaignId);
    if (previous.status === 'cancelled')
      throw new ConflictError(`Campaign ${campaignId} is cancelled; create a new one.`);
    const definition = await this.check(input, previous);
    const next: Campaign = {
      ...definition,
      campaignId,
      status: previous.status,
      version: previous.version + 1,
      createdAt: previous.createdAt,
      updatedAt: this.now().toISOString(),
      ...(previous.statusChangedAt ? { statusChangedAt: previous.statusChangedAt } : {}),
    };
    const before = referencesOf(previous);
    const after = referencesOf(definition);
    await this.schedule(next);
    const refusal = await this.deps.campaigns.update(next, previous, {
      added: {
        segments: minus(after.segments, before.segments),
        templates: minus(after.templates, before.templates),
      },
      removed: {
        segments: minus(before.segments, after.segments),
        templates: minus(before.templates, after.templates),
      },
    });
    if (refusal) {
      await this.schedule(previous);
      throw refusalError(refusal);
    }
    return next;
  }

  /** pause, resume or cancel; repeating one that took effect answers the campaign unchanged. */
  async act(campaignId: string, action: CampaignAction): Promise<Campaign> {
    const previous = await this.get(campaignId);
    const outcome = campaignAction(previous.status, action);
    if ('refused' in outcome)
      throw new ConflictError(`Cannot ${action} campaign ${campaignId}: ${outcome.refused}.`);
    if (!outcome.changed) return previous;
    const at = this.now().toISOString();
    const next: Campaign = {
      ...previous,
      status: outcome.status,
      version: previous.version + 1,
      updatedAt: at,
      statusChangedAt: at,
    };
    // Resuming enables the schedule first; pausing and cancelling save first (firings then start no run).
    if (next.status === 'active') await this.schedule(next);
    const refusal = await this.deps.campaigns.update(next, previous, {
      added: NONE,
      // A cancelled campaign uses nothing any more: its segment and templates may be deleted.
      removed: next.status === 'cancelled' ? referencesOf(previous) : NONE,
    });
    if (refusal) throw refusalError(refusal);
    if (next.status !== 'active') await this.schedule(next);
    return next;
  }
}
