import type { CampaignChannel, CampaignDefinition } from './campaign-definition';

// Where a campaign names its templates, and which one a recipient gets: a campaign's message is one
// template (templateId), one per channel (templates, for email_or_sms), or one of those per A/B
// variant. The definition check reads the slots to look each template up; the sender reads
// templateFor to render what a recipient's variant and channel call for.

export interface TemplateSlot {
  /** The field that names it, as errors name it: `templateId`, `templates.sms`, `variants.1.templateId`. */
  readonly path: string;
  readonly templateId: string;
  /** The channel the template must be for. */
  readonly channel: 'email' | 'sms';
  /** The variant's index; 0 without variants. */
  readonly variant: number;
}

type MessageFields = Pick<CampaignDefinition, 'templateId' | 'templates'>;

const slotsOf = (
  fields: MessageFields,
  channel: CampaignChannel,
  prefix: string,
  variant: number,
): TemplateSlot[] => {
  const slots: TemplateSlot[] = [];
  if (fields.templateId !== undefined) {
    // On an email_or_sms campaign a lone templateId is refused; checked against email there.
    const expected = channel === 'sms' ? 'sms' : 'email';
    slots.push({ path: `${prefix}templateId`, templateId: fields.templateId, channel: expected, variant });
  }
  if (fields.templates !== undefined) {
    slots.push({
      path: `${prefix}templates.email`,
      templateId: fields.templates.email,
      channel: 'email',
      variant,
    });
    slots.push({ path: `${prefix}templates.sms`, templateId: fields.templates.sms, channel: 'sms', variant });
  }
  return slots;
};

/** Every template the definition names, where and for which channel. */
export const templateSlots = (definition: CampaignDefinition): TemplateSlot[] => [
  ...slotsOf(definition, definition.channel, '', 0),
  ...(definition.variants ?? []).flatMap((v, i) => slotsOf(v, definition.channel, `variants.${i}.`, i)),
];

/** The distinct template ids the definition names: what the caller looks up before the check. */
export const templateIdsOf = (definition: CampaignDefinition): string[] => [
  ...new Set(templateSlots(definition).map((s) => s.templateId)),
];

/** The template a recipient of `variant` on `channel` gets, or undefined when the definition names none. */
export const templateFor = (
  definition: CampaignDefinition,
  variant: number,
  channel: 'email' | 'sms',
): string | undefined => {
  const fields: MessageFields | undefined = definition.variants ? definition.variants[variant] : definition;
  if (fields === undefined) return undefined;
  return fields.templates ? fields.templates[channel] : fields.templateId;
};

/** The variants' shares in order; `[1]` for a campaign without variants. */
export const variantShares = (definition: CampaignDefinition): number[] =>
  definition.variants ? definition.variants.map((v) => v.share) : [1];

/** A variant's name as reports show it: its own, else A, B, C ... by position. */
export const variantName = (definition: CampaignDefinition, variant: number): string =>
  definition.variants?.[variant]?.name ?? String.fromCharCode(65 + variant);
