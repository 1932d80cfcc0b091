import type { EmailSender } from '../channels/email-sender';
import type { SmsSender } from '../channels/sms-sender';
import type { Profile } from '../profiles/profile';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../shared/domain-errors';
import { newId } from '../shared/new-id';
import { type RenderedMessage, renderTemplate } from './render-template';
import type { Template, TemplateError, TemplateInput } from './template';
import { buildTemplateContext } from './template-context';
import {
  MAX_TEMPLATES,
  type StoredTemplate,
  TEMPLATE_ID_PATTERN,
  type TemplateStore,
} from './template-store';
import { type TemplateValidation, validateTemplate } from './validate-template';

export interface TemplateServiceDeps {
  readonly store: TemplateStore;
  readonly smsOptOut?: string;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** What a save reports besides the template: the variables each part reads, and SMS encoding. */
export type TemplateReport = Omit<Extract<TemplateValidation, { ok: true }>, 'ok'>;

/** A template error as the API's detail: the field, and where in it. */
export const templateErrorDetail = (e: TemplateError): FieldError => ({
  path: e.path,
  message: e.line !== undefined ? `line ${e.line}, column ${e.column ?? 1}: ${e.reason}` : e.reason,
});

/** Links a preview or a test message shows where a campaign puts each recipient's own. */
export const SAMPLE_LINKS = {
  unsubscribeUrl: 'https://example.com/unsubscribe?token=preview',
  preferencesUrl: 'https://example.com/preferences?token=preview',
};
const SAMPLE_OFFER = { code: 'PREVIEW-0000000000', expiresAt: '2099-12-31T23:59:59.000Z' };

/**
 * Saving, versioning, previewing and test-sending templates. A template is checked at save
 * (Liquid syntax, unknown variables and filters, the unsubscribe link of a marketing email), and
 * every update is a new version: what a run sent stays readable as it was.
 */
export class TemplateService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: TemplateServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => newId('tpl'));
  }

  private check(input: TemplateInput): TemplateReport {
    const result = validateTemplate(input, this.deps.smsOptOut ? { smsOptOut: this.deps.smsOptOut } : {});
    if (!result.ok)
      throw new ValidationError(result.errors.map(templateErrorDetail), 'The template is not valid.');
    const { ok: _ok, ...report } = result;
    return report;
  }

  async get(templateId: string): Promise<StoredTemplate> {
    const template = TEMPLATE_ID_PATTERN.test(templateId) ? await this.deps.store.get(templateId) : undefined;
    if (!template) throw new NotFoundError(`No template ${templateId}.`);
    return template;
  }

  list(): Promise<StoredTemplate[]> {
    return this.deps.store.list();
  }

  /** `templateId` is new unless given (a natural key, for what the deployment creates). */
  async create(
    input: TemplateInput,
    templateId = this.newId(),
  ): Promise<{ template: Template; report: TemplateReport }> {
    const report = this.check(input);
    if ((await this.deps.store.list()).length >= MAX_TEMPLATES)
      throw new ConflictError(`There are ${MAX_TEMPLATES} templates already; delete some first.`);
    const at = this.now().toISOString();
    const template = {
      ...input,
      templateId,
      version: 1,
      createdAt: at,
      updatedAt: at,
    } as Template;
    await this.deps.store.create(template);
    return { template, report };
  }

  async update(
    templateId: string,
    input: TemplateInput,
  ): Promise<{ template: Template; report: TemplateReport }> {
    const previous = await this.get(templateId);
    if (input.channel !== previous.channel)
      throw new ValidationError([
        { path: 'channel', message: `is ${previous.channel}: a template keeps its channel (create another)` },
      ]);
    const report = this.check(input);
    const { usedBy: _usedBy, ...current } = previous;
    const template = {
      ...input,
      templateId,
      version: previous.version + 1,
      createdAt: previous.createdAt,
      updatedAt: this.now().toISOString(),
    } as Template;
    if (!(await this.deps.store.update(template, current as Template)))
      throw new ConflictError('The template changed meanwhile; read it again and retry.');
    return { template, report };
  }

  async delete(templateId: string): Promise<void> {
    const { usedBy: _usedBy, ...template } = await this.get(templateId);
    const result = await this.deps.store.delete(template as Template);
    if (result.kind === 'missing') throw new NotFoundError(`No template ${templateId}.`);
    if (result.kind === 'changed') throw new ConflictError('The template changed meanwhile; retry.');
    if (result.kind === 'in-use')
      throw new ConflictError(
        `Template ${templateId} is used by ${result.usedBy.join(', ')}; change or delete those first.`,
        result.usedBy.map((id) => ({ path: 'usedBy', message: id })),
      );
  }

  /** The template rendered for a real profile, with sample links and offer. */
  async preview(templateId: string, profile: Profile): Promise<RenderedMessage> {
    const template = await this.get(templateId);
    return this.render(template, profile);
  }

  private render(template: Template, profile: Profile): RenderedMessage {
    const result = renderTemplate(
      template,
      buildTemplateContext(profile, { ...SAMPLE_LINKS, offer: SAMPLE_OFFER }),
      { now: this.now(), ...(this.deps.smsOptOut ? { smsOptOut: this.deps.smsOptOut } : {}) },
    );
    if (!result.ok)
      throw new ValidationError([templateErrorDetail(result.failure)], 'The template cannot be rendered.');
    return result.message;
  }

  /**
   * One real message to `to`, marked as a test (subject prefix, `test` tag) and counted in no
   * campaign, rendered for `profile` (a real one, or an empty one for the defaults).
   */
  async testSend(
    templateId: string,
    to: string,
    profile: Profile,
    senders: { readonly email: EmailSender; readonly sms: SmsSender },
  ): Promise<{ messageId: string; channel: 'email' | 'sms' }> {
    const template = await this.get(templateId);
    const message = this.render(template, profile);
    if (template.channel === 'email' && 'subject' in message) {
      const { messageId } = await senders.email.send({
        to,
        subject: `[TEST] ${message.subject}`,
        html: message.html,
        text: message.text,
        headers: {},
        tags: { test: 'true', template: template.templateId, version: String(template.version) },
      });
      return { messageId, channel: 'email' };
    }
    const { messageId } = await senders.sms.send({
      phoneNumber: to,
      message: message.text,
      type: 'Transactional',
    });
    return { messageId, channel: 'sms' };
  }
}
