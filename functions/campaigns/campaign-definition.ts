import { z } from 'zod';
import { SEGMENT_ID_PATTERN } from '../segments/segment';
import { scheduleSchema } from './campaign-schedule';
import { clockTimeSchema } from './clock-time';
import { MAX_CONTROL_SHARE } from './control-group';
import { frequencyCapSchema } from './frequency-cap';
import { offerSchema } from './offer-code';
import { quietHoursSchema } from './quiet-hours';

// What a marketer writes to define a campaign (`POST /campaigns`): who (a saved segment), on which
// channel, with which message (one template, one per channel for email_or_sms, or A/B variants),
// when (the schedule, optionally each recipient's local time), and the rules on top of the global
// ones: a control group, an offer code per recipient, a stricter frequency cap, quiet hours.
// This schema says what a field looks like; what depends on other fields or on what exists (shares
// summing to 1, templates of the right channel, a cron that fires, a date in the future) is
// checkCampaignDefinition's, which names the field of every fault.

export const CAMPAIGN_CHANNELS = ['email', 'sms', 'email_or_sms'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
export const CAMPAIGN_KINDS = ['marketing', 'transactional'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const MAX_VARIANTS = 8;
export const MAX_CAMPAIGN_NAME_CHARS = 200;
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const templateId = z.string().regex(TEMPLATE_ID, 'must be a template id');
const share = z
  .number()
  .gt(0, 'must be more than 0')
  .lte(1, 'must be at most 1')
  .meta({ description: 'Share of the treated audience, (0, 1]; the variants’ shares sum to 1.' });

/** For `email_or_sms`: the email sent to a recipient with an address and consent, else the SMS. */
export const channelTemplatesSchema = z
  .strictObject({ email: templateId, sms: templateId })
  .meta({ description: 'One email and one SMS template, for channel email_or_sms.' });
export type ChannelTemplates = z.infer<typeof channelTemplatesSchema>;

export const variantSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters').optional(),
  templateId: templateId.optional(),
  templates: channelTemplatesSchema.optional(),
  share,
});
export type Variant = z.infer<typeof variantSchema>;

const campaignFields = {
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_CAMPAIGN_NAME_CHARS, `must be at most ${MAX_CAMPAIGN_NAME_CHARS} characters`),
  description: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  segmentId: z.string().regex(SEGMENT_ID_PATTERN, 'must be a segment id (seg_...)'),
  channel: z.enum(CAMPAIGN_CHANNELS).meta({
    description:
      'email_or_sms emails a recipient with an address and email consent, else texts one with SMS consent.',
  }),
  // Marketing unless it says otherwise: the safe default (consent, caps, global control apply).
  kind: z.enum(CAMPAIGN_KINDS).default('marketing'),
  templateId: templateId.optional(),
  templates: channelTemplatesSchema.optional(),
  variants: z
    .array(variantSchema)
    .min(2, 'must have at least 2 variants (one template is templateId or templates)')
    .max(MAX_VARIANTS, `must have at most ${MAX_VARIANTS} variants`)
    .optional(),
  schedule: scheduleSchema,
  controlGroup: z
    .strictObject({
      share: z
        .number()
        .min(0, 'must be at least 0')
        .max(MAX_CONTROL_SHARE, `must be at most ${MAX_CONTROL_SHARE}`)
        .meta({ description: 'Share of the audience held out and never sent this campaign, 0-0.5.' }),
    })
    .optional(),
  localTime: clockTimeSchema.optional(),
  offer: offerSchema.optional(),
  frequencyCap: frequencyCapSchema.optional(),
  quietHours: z
    .union([z.literal(false), quietHoursSchema])
    .optional()
    .meta({
      description: 'false: none; absent: the default (setting, 21:00-08:00), in the recipient’s zone.',
    }),
  topic: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 of a-z 0-9 _ -, such as newsletter')
    .optional()
    .meta({ description: 'The subscription topic the messages belong to.' }),
};

export const campaignInputSchema = z.strictObject(campaignFields).meta({ id: 'CampaignInput' });
/** A definition as a client writes it (kind optional). */
export type CampaignInputJson = z.input<typeof campaignInputSchema>;
/** A definition as validated by the schema (kind filled in). */
export type CampaignDefinition = z.infer<typeof campaignInputSchema>;
