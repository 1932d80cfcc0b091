import { compileTemplate, partUses } from './compile-template';
import { DEFAULT_SMS_OPT_OUT, hasSmsOptOut, withSmsOptOut } from './sms-opt-out';
import { nonGsmCharacters, type SmsParts, smsParts } from './sms-parts';
import type { TemplateError, TemplateInput } from './template';

// What a save checks beyond the schema (template.ts): every part parses, every variable is one of
// template-variables.ts, no filter or tag is unknown or refused, and a marketing email links to
// {{ unsubscribe_url }} in its html and in its text part when it has one. An SMS template is told
// how it will be sent: encoding and parts of its text as written, the opt-out instruction included
// for marketing. Variables change the length; a preview reports it for the rendered text.

export interface ValidateTemplateOptions {
  /** The opt-out setting. */
  readonly smsOptOut?: string;
}

export interface SmsTemplateReport extends SmsParts {
  /** Whether the opt-out instruction is appended (a marketing text that does not hold it yet). */
  readonly optOutAppended: boolean;
  /** The characters that make the text UCS-2 (70 a part instead of 160), each once. */
  readonly nonGsmCharacters: readonly string[];
}

export type TemplateValidation =
  | {
      readonly ok: true;
      /** The variables each part reads, e.g. to check a campaign gives an offer when one is used. */
      readonly variables: Readonly<Partial<Record<'subject' | 'html' | 'text', readonly string[]>>>;
      readonly sms?: SmsTemplateReport;
    }
  | { readonly ok: false; readonly errors: readonly TemplateError[] };

const UNSUBSCRIBE = 'a marketing email must link to {{ unsubscribe_url }}';

/** Checks a template (already through `templateInputSchema`) before it is stored. */
export const validateTemplate = (
  template: TemplateInput,
  options: ValidateTemplateOptions = {},
): TemplateValidation => {
  const result = compileTemplate(template);
  if (!result.ok) return { ok: false, errors: result.errors };
  const { compiled } = result;
  if (template.channel === 'email') {
    const errors: TemplateError[] = [];
    if (template.kind === 'marketing') {
      if (!partUses(compiled, 'html', 'unsubscribe_url'))
        errors.push({ path: 'html', reason: `${UNSUBSCRIBE} in its html (or be "kind": "transactional")` });
      if (template.text !== undefined && !partUses(compiled, 'text', 'unsubscribe_url'))
        errors.push({ path: 'text', reason: `${UNSUBSCRIBE} in its text part too` });
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, variables: compiled.variables };
  }
  const optOut = options.smsOptOut ?? DEFAULT_SMS_OPT_OUT;
  const optOutAppended = template.kind === 'marketing' && !hasSmsOptOut(template.text, optOut);
  const sent = template.kind === 'marketing' ? withSmsOptOut(template.text, optOut) : template.text;
  return {
    ok: true,
    variables: compiled.variables,
    sms: { ...smsParts(sent), optOutAppended, nonGsmCharacters: nonGsmCharacters(sent) },
  };
};
