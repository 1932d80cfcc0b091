import type { Segment, SegmentInput } from '../segments/segment';
import { ConflictError } from '../shared/domain-errors';
import type { Template, TemplateInput } from '../templates/template';
import type { Campaign } from './campaign';
import {
  type PresetRequest,
  type WinBackSettings,
  winBackCampaign,
  winBackRule,
  winBackTemplates,
} from './win-back-preset';

export interface PresetDeps {
  readonly segments: {
    create(input: SegmentInput): Promise<Segment>;
    update(segmentId: string, input: SegmentInput): Promise<Segment>;
    delete(segmentId: string): Promise<void>;
  };
  readonly templates: {
    create(input: TemplateInput): Promise<{ template: Template }>;
    delete(templateId: string): Promise<void>;
  };
  readonly campaigns: { create(input: unknown): Promise<Campaign> };
  readonly settings: WinBackSettings;
}

const isNameTaken = (error: unknown) =>
  error instanceof ConflictError && error.details.some((d) => d.path === 'name');

/**
 * Segment names are unique: a second preset of the same name (the deployment's win-back is
 * "Win-back" already) gets "<name> audience (2)", and so on, rather than a 409 the request cannot
 * avoid but by naming itself.
 */
const createWithFreeName = async (
  segments: PresetDeps['segments'],
  base: string,
  input: Omit<SegmentInput, 'name'>,
): Promise<Segment> => {
  for (let n = 1; ; n++) {
    try {
      return await segments.create({ ...input, name: n === 1 ? base : `${base} (${n})` });
    } catch (error) {
      if (!isNameTaken(error) || n >= 20) throw error;
    }
  }
};

/**
 * A campaign from a preset: its segment and templates made from the settings (unless the request
 * names its own), then the campaign on them, then the segment's cooldown (which names the campaign).
 * When the campaign is refused (a 422 for an override), what was made for it is deleted again.
 */
export const createFromPreset = async (deps: PresetDeps, request: PresetRequest): Promise<Campaign> => {
  const name = request.name ?? 'Win-back';
  const made: { segment?: string; templates: string[] } = { templates: [] };
  const description = `Made by the ${request.preset} preset for the campaign "${name}".`;
  try {
    let segmentId = request.segmentId;
    let segmentName = `${name} audience`;
    if (segmentId === undefined) {
      const segment = await createWithFreeName(deps.segments, `${name} audience`, {
        description,
        rule: winBackRule(deps.settings),
      });
      segmentId = segment.segmentId;
      segmentName = segment.name;
      made.segment = segmentId;
    }
    const ownMessage = request.templateId ?? request.templates ?? request.variants;
    let templates: { email: string; sms: string } | undefined;
    if (!ownMessage) {
      const copy = winBackTemplates(deps.settings, name);
      const email = (await deps.templates.create(copy.email)).template.templateId;
      made.templates.push(email);
      const sms = (await deps.templates.create(copy.sms)).template.templateId;
      made.templates.push(sms);
      templates = { email, sms };
    }
    const campaign = await deps.campaigns.create(
      winBackCampaign(request, { segmentId, ...(templates ? { templates } : {}) }, deps.settings),
    );
    if (made.segment)
      await deps.segments.update(made.segment, {
        name: segmentName,
        description,
        rule: winBackRule(deps.settings, campaign.campaignId),
      });
    return campaign;
  } catch (error) {
    // Nothing refers to them yet: leave no orphans behind a refused request.
    for (const id of made.templates) await deps.templates.delete(id).catch(() => undefined);
    if (made.segment) await deps.segments.delete(made.segment).catch(() => undefined);
    throw error;
  }
};
