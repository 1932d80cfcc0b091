import { z } from 'zod';

/**
 * Message templates: what a client writes (`templateInputSchema`) and what is stored (`Template`:
 * the input plus identity, version and timestamps). Every part is Liquid (see liquid-engine.ts);
 * the sizes bound what one render of one part can cost before any variable is filled in.
 */

/** RFC 5322 caps a header line at 998 characters; a subject longer than that is folded or refused. */
export const MAX_SUBJECT_CHARS = 998;
/** Bytes (UTF-8) of the html and of a hand-written text part. */
export const MAX_EMAIL_PART_BYTES = 512 * 1024;
/** SNS and End User Messaging take at most 1,600 characters in one SMS message (10 parts or so). */
export const MAX_SMS_CHARS = 1600;
export const MAX_TEMPLATE_NAME_CHARS = 200;

export const TEMPLATE_KINDS = ['marketing', 'transactional'] as const;
export const templateKindSchema = z.enum(TEMPLATE_KINDS);
export type TemplateKind = z.infer<typeof templateKindSchema>;

/** The Liquid parts of a template, named as the fields that hold them (errors name them so). */
export type TemplatePart = 'subject' | 'html' | 'text';

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_TEMPLATE_NAME_CHARS, `must be at most ${MAX_TEMPLATE_NAME_CHARS} characters`);

// A template is marketing unless it says otherwise: the safe default, since a marketing message must
// carry an unsubscribe link (email) or the opt-out instruction (SMS).
const kind = templateKindSchema.default('marketing');

const bytesAtMost = (max: number) => (s: string) => Buffer.byteLength(s, 'utf8') <= max;

const emailPart = z
  .string()
  .min(1, 'must not be empty')
  .refine(bytesAtMost(MAX_EMAIL_PART_BYTES), `must be at most ${MAX_EMAIL_PART_BYTES} bytes`);

export const emailTemplateInputSchema = z.strictObject({
  name,
  channel: z.literal('email'),
  kind,
  subject: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_SUBJECT_CHARS, `must be at most ${MAX_SUBJECT_CHARS} characters`)
    // A line break in a header would start another header (header injection).
    .refine((s) => !/[\r\n]/.test(s), 'must be one line'),
  html: emailPart,
  /** Optional: without it the text part is generated from the rendered html. */
  text: emailPart.optional(),
});

export const smsTemplateInputSchema = z.strictObject({
  name,
  channel: z.literal('sms'),
  kind,
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_SMS_CHARS, `must be at most ${MAX_SMS_CHARS} characters`),
});

export const templateInputSchema = z
  .discriminatedUnion('channel', [emailTemplateInputSchema, smsTemplateInputSchema])
  .meta({ id: 'TemplateInput' });

export type EmailTemplateInput = z.infer<typeof emailTemplateInputSchema>;
export type SmsTemplateInput = z.infer<typeof smsTemplateInputSchema>;
/** A template as validated (its `kind` filled in). */
export type TemplateInput = z.infer<typeof templateInputSchema>;

const timestamp = z.iso.datetime({ offset: true });
const storedFields = {
  templateId: z.string(),
  /** 1 when created; every update is a new version, and a run records the version it sent. */
  version: z.number().int().min(1),
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const emailTemplateSchema = emailTemplateInputSchema.extend(storedFields);
export const smsTemplateSchema = smsTemplateInputSchema.extend(storedFields);
export const templateSchema = z
  .discriminatedUnion('channel', [emailTemplateSchema, smsTemplateSchema])
  .meta({ id: 'Template' });

export type EmailTemplate = z.infer<typeof emailTemplateSchema>;
export type SmsTemplate = z.infer<typeof smsTemplateSchema>;
export type Template = z.infer<typeof templateSchema>;

/** What went wrong in a template, at save: the field, why, and where in it when that is known. */
export interface TemplateError {
  readonly path: TemplatePart;
  readonly reason: string;
  /** 1-based, in the field's text. */
  readonly line?: number;
  readonly column?: number;
}

/** The Liquid source of each part a template has. */
export const templateParts = (template: TemplateInput): [TemplatePart, string][] =>
  template.channel === 'email'
    ? [
        ['subject', template.subject],
        ['html', template.html],
        ...(template.text === undefined ? [] : [['text', template.text] as [TemplatePart, string]]),
      ]
    : [['text', template.text]];
