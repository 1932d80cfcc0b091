import type { FieldError } from '../shared/domain-errors';
import { type CampaignDefinition, campaignInputSchema } from './campaign-definition';
import { checkSchedule } from './campaign-schedule';
import { templateSlots, variantName } from './campaign-templates';
import { minutesOfDay } from './clock-time';
import type { FrequencyCaps } from './frequency-cap';
import { insideQuietHours, type QuietHours } from './quiet-hours';

// What the schema cannot say about a campaign definition: rules across fields and against what
// exists. Every fault is reported at once, each naming its field the way the API's 422 details do
// (`variants.1.templateId`), with a reason a marketer can act on.

/** What the definition check needs to know about one template (see compile-template.ts's readsVariable). */
export interface TemplateFacts {
  readonly channel: 'email' | 'sms';
  readonly kind: 'marketing' | 'transactional';
  /** Whether any part reads `offer` or something under it. */
  readonly readsOffer: boolean;
}

/** The lookups and settings the caller passes (it fetches the templates templateIdsOf names first). */
export interface CampaignDefinitionContext {
  readonly now: Date;
  readonly segmentExists: (segmentId: string) => boolean;
  readonly template: (templateId: string) => TemplateFacts | undefined;
  /** The global caps (settings): a marketing campaign may be stricter, not looser. */
  readonly globalFrequencyCap: FrequencyCaps;
  /** The quiet hours a campaign without its own gets (setting); false when there are none. */
  readonly defaultQuietHours: QuietHours | false;
  /**
   * For an update of a campaign that has run: its control share then. It may not be lowered,
   * since the customers it would release were promised to get nothing from this campaign.
   */
  readonly previousControlShare?: number;
}

const SHARE_TOLERANCE = 1e-9;

const checkMessage = (d: CampaignDefinition, errors: FieldError[]): void => {
  const given = (['templateId', 'templates', 'variants'] as const).filter((k) => d[k] !== undefined);
  const either =
    d.channel === 'email_or_sms' ? 'templates ({email, sms}) or variants' : 'templateId or variants';
  if (given.length === 0)
    errors.push({ path: 'templateId', message: `the message is missing: give ${either}` });
  for (const extra of given.slice(1))
    errors.push({
      path: extra,
      message: `give only one of templateId, templates and variants (${given[0]} is given)`,
    });
  const shapeOf = (fields: Pick<CampaignDefinition, 'templateId' | 'templates'>, prefix: string) => {
    if (d.channel === 'email_or_sms' && fields.templateId !== undefined)
      errors.push({
        path: `${prefix}templateId`,
        message: 'channel email_or_sms takes templates: {email, sms}',
      });
    if (d.channel !== 'email_or_sms' && fields.templates !== undefined)
      errors.push({
        path: `${prefix}templates`,
        message: `is for channel email_or_sms; channel ${d.channel} takes templateId`,
      });
  };
  shapeOf(d, '');
  if (d.variants === undefined) return;
  const names = new Map<string, number>();
  d.variants.forEach((variant, i) => {
    const own = [variant.templateId, variant.templates].filter((v) => v !== undefined).length;
    if (own !== 1)
      errors.push({
        path: `variants.${i}`,
        message:
          own === 0
            ? `names no template: give ${d.channel === 'email_or_sms' ? 'templates' : 'templateId'}`
            : 'give templateId or templates, not both',
      });
    shapeOf(variant, `variants.${i}.`);
    const name = variantName(d, i);
    const first = names.get(name);
    if (first !== undefined)
      errors.push({ path: `variants.${i}.name`, message: `${name} is the name of variant ${first} already` });
    else names.set(name, i);
  });
  const sum = d.variants.reduce((total, v) => total + v.share, 0);
  if (Math.abs(sum - 1) > SHARE_TOLERANCE)
    errors.push({
      path: 'variants',
      message: `the shares sum to ${Number(sum.toFixed(6))}; they must sum to 1`,
    });
};

const checkTemplates = (
  d: CampaignDefinition,
  context: CampaignDefinitionContext,
  errors: FieldError[],
): void => {
  const slots = templateSlots(d);
  for (const slot of slots) {
    const facts = context.template(slot.templateId);
    if (facts === undefined) {
      errors.push({ path: slot.path, message: `there is no template ${slot.templateId}` });
      continue;
    }
    if (facts.channel !== slot.channel) {
      const swapped = slot.path.endsWith(`templates.${slot.channel}`) ? ' (are email and sms swapped?)' : '';
      errors.push({
        path: slot.path,
        message: `${slot.templateId} is an ${facts.channel} template; this takes an ${slot.channel} template${swapped}`,
      });
    }
    if (d.kind === 'marketing' && facts.kind === 'transactional')
      errors.push({
        path: slot.path,
        message: `${slot.templateId} is a transactional template: a marketing campaign sends marketing templates (with the unsubscribe link or opt-out)`,
      });
    if (facts.readsOffer && d.offer === undefined)
      errors.push({
        path: slot.path,
        message: `${slot.templateId} reads offer.*: give the campaign an offer ({prefix, validDays})`,
      });
  }
};

const checkRules = (
  d: CampaignDefinition,
  context: CampaignDefinitionContext,
  errors: FieldError[],
): void => {
  if (d.quietHours && d.quietHours.start === d.quietHours.end)
    errors.push({
      path: 'quietHours.end',
      message: 'equals start: for no quiet hours write quietHours: false',
    });
  const quiet = d.quietHours ?? context.defaultQuietHours;
  if (d.localTime !== undefined && quiet && insideQuietHours(minutesOfDay(d.localTime), quiet))
    errors.push({
      path: 'localTime',
      message: `${d.localTime} is inside quiet hours ${quiet.start}-${quiet.end}: every message would wait until ${quiet.end}`,
    });
  const caps = d.frequencyCap;
  if (caps !== undefined) {
    if (d.kind === 'transactional')
      errors.push({ path: 'frequencyCap', message: 'transactional messages are neither capped nor counted' });
    else if (caps.perDay === undefined && caps.perWeek === undefined)
      errors.push({ path: 'frequencyCap', message: 'give perDay, perWeek or both' });
    else
      for (const cap of ['perDay', 'perWeek'] as const) {
        const global = context.globalFrequencyCap[cap];
        const own = caps[cap];
        if (own !== undefined && global !== undefined && own > global)
          errors.push({
            path: `frequencyCap.${cap}`,
            message: `must be at most ${global}, the global cap: a campaign may be stricter, not looser`,
          });
      }
  }
  const previous = context.previousControlShare;
  const share = d.controlGroup?.share ?? 0;
  if (previous !== undefined && share < previous)
    errors.push({
      path: d.controlGroup ? 'controlGroup.share' : 'controlGroup',
      message: `may not go below ${previous} once the campaign has run: its control members were promised nothing from it`,
    });
};

/** Every fault of a schema-valid definition beyond the schema (empty: valid). */
export const checkCampaignDefinition = (
  definition: CampaignDefinition,
  context: CampaignDefinitionContext,
): FieldError[] => {
  const errors: FieldError[] = [];
  if (!context.segmentExists(definition.segmentId))
    errors.push({ path: 'segmentId', message: `there is no segment ${definition.segmentId}` });
  checkMessage(definition, errors);
  checkTemplates(definition, context, errors);
  errors.push(...checkSchedule(definition.schedule, context.now));
  checkRules(definition, context, errors);
  return errors;
};

export type CampaignValidation =
  | { readonly ok: true; readonly definition: CampaignDefinition }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Untrusted JSON to a definition: the schema's faults (dotted paths, as the HTTP layer's zod details),
 * or, when the shape is right, checkCampaignDefinition's.
 */
export const validateCampaignDefinition = (
  input: unknown,
  context: CampaignDefinitionContext,
): CampaignValidation => {
  const parsed = campaignInputSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  const errors = checkCampaignDefinition(parsed.data, context);
  return errors.length === 0 ? { ok: true, definition: parsed.data } : { ok: false, errors };
};
