import { z } from 'zod';
import { profileIdSchema } from '../profiles/profile';
import { templateSchema } from './template';

export const templatePreviewRequestSchema = z
  .strictObject({ profileId: profileIdSchema })
  .meta({ id: 'TemplatePreviewRequest' });

export const templateTestSendRequestSchema = z
  .strictObject({
    to: z
      .string()
      .trim()
      .min(3)
      .max(254)
      .describe('An email address, or a phone number for an SMS template.'),
    profileId: profileIdSchema.optional().describe('Render for this profile; without it, for an empty one.'),
  })
  .meta({ id: 'TemplateTestSendRequest' });

const reportSchema = z.object({
  variables: z.record(z.string(), z.array(z.string())).describe('The variables each part reads.'),
  sms: z
    .object({
      encoding: z.enum(['GSM-7', 'UCS-2']),
      parts: z.number().int(),
      characters: z.number().int(),
      optOutAppended: z.boolean(),
      nonGsmCharacters: z.array(z.string()),
    })
    .optional()
    .describe('SMS: encoding and parts of the text as written, with the opt-out instruction.'),
});

export const templateSavedSchema = z
  .object({ template: templateSchema, report: reportSchema })
  .meta({ id: 'TemplateSaved' });

export const storedTemplateSchema = z
  .intersection(templateSchema, z.object({ usedBy: z.array(z.string()) }))
  .meta({ id: 'StoredTemplate' });

export const renderedMessageSchema = z
  .union([
    z.object({ subject: z.string(), html: z.string(), text: z.string() }),
    z.object({
      text: z.string(),
      encoding: z.enum(['GSM-7', 'UCS-2']),
      parts: z.number().int(),
      characters: z.number().int(),
    }),
  ])
  .meta({ id: 'RenderedMessage' });
