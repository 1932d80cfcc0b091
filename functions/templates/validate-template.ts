import { compilePart, readsVariable } from './compile-template';
import { DEFAULT_SMS_OPT_OUT, hasSmsOptOut, withSmsOptOut } from './sms-opt-out';
import { nonGsmCharacters, type SmsParts, smsParts } from './sms-parts';
import { type TemplateError, type TemplateInput, type TemplatePart, templateParts } from './template';

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
      readonly variables: Readonly<Partial<Record<TemplatePart, readonly string[]>>>;
      readonly sms?: SmsTemplateReport;
    }
  | { readonly ok: false; readonly errors: readonly TemplateError[] };

const UNSUBSCRIBE = 'a marketing email must link to {{ unsubscribe_url }}';

/** Checks a template (already through `templateInputSchema`) before it is stored. */
export const validateTemplate = (
  template: TemplateInput,
  options: ValidateTemplateOptions = {},
): TemplateValidation => {
  const errors: TemplateError[] = [];
  const variables: Partial<Record<TemplatePart, string[]>> = {};
  for (const [part, source] of templateParts(template)) {
    const result = compilePart(part, source);
    if ('errors' in result) errors.push(...result.errors);
    else variables[part] = result.variables;
  }
  if (template.channel === 'email' && template.kind === 'marketing') {
    // Checked on the parts that compiled, so one save reports a syntax error and a missing link.
    const lacks = (part: TemplatePart) =>
      variables[part] !== undefined && !readsVariable(variables[part], 'unsubscribe_url');
    if (lacks('html'))
      errors.push({ path: 'html', reason: `${UNSUBSCRIBE} in its html (or be "kind": "transactional")` });
    if (lacks('text')) errors.push({ path: 'text', reason: `${UNSUBSCRIBE} in its text part too` });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (template.channel === 'email') return { ok: true, variables };
  const optOut = options.smsOptOut ?? DEFAULT_SMS_OPT_OUT;
  const optOutAppended = template.kind === 'marketing' && !hasSmsOptOut(template.text, optOut);
  const sent = optOutAppended ? withSmsOptOut(template.text, optOut) : template.text;
  return {
    ok: true,
    variables,
    sms: { ...smsParts(sent), optOutAppended, nonGsmCharacters: nonGsmCharacters(sent) },
  };
};
