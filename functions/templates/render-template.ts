import type { Template as LiquidTemplate } from 'liquidjs';
import { escapeHtml } from '../shared/escape-html';
import { type CompiledTemplate, compileTemplate } from './compile-template';
import { renderGlobals } from './date-filters';
import { DEFAULT_ENGINE_LIMITS, describeLiquidError, formatOfPart, liquidEngines } from './liquid-engine';
import { DEFAULT_SMS_OPT_OUT, withSmsOptOut } from './sms-opt-out';
import { type SmsParts, smsParts } from './sms-parts';
import {
  MAX_SMS_CHARS,
  MAX_SUBJECT_CHARS,
  type Template,
  type TemplateInput,
  type TemplatePart,
} from './template';
import { sharedTemplateCache, type TemplateCache } from './template-cache';
import type { TemplateContext } from './template-context';
import { textFromHtml } from './text-from-html';

// One message for one recipient. Whatever goes wrong (a part that takes too long or grows too big,
// a variable that is not there, a marketing email without its unsubscribe link) is returned as a
// `rendering_failed` result the caller records for that recipient: a render never throws, so one
// bad profile never stops a batch. Given the same template, context and clock, the same message.

export interface RenderLimits {
  /** Milliseconds for the whole message, all parts together. */
  readonly renderMs: number;
  /** Liquid's allocation budget per part (characters of strings built, array elements). */
  readonly memory: number;
  /** Characters of the rendered html and text parts. */
  readonly htmlChars: number;
  readonly textChars: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  renderMs: DEFAULT_ENGINE_LIMITS.renderMs,
  memory: DEFAULT_ENGINE_LIMITS.memory,
  htmlChars: 1024 * 1024,
  textChars: 1024 * 1024,
};

export interface RenderOptions {
  /** The opt-out setting, appended to a marketing SMS that lacks it. */
  readonly smsOptOut?: string;
  /** What "now" means to date filters: pass the run's time so a retry renders the same message. */
  readonly now?: Date | string | number;
  /** IANA zone of dates shown with `date` (unless the template names one); default UTC. */
  readonly timeZone?: string;
  readonly limits?: Partial<RenderLimits>;
  /** Where stored templates are compiled once per version; default the shared cache. */
  readonly cache?: TemplateCache;
}

export interface RenderedEmail {
  readonly channel: 'email';
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface RenderedSms extends SmsParts {
  readonly channel: 'sms';
  /** As sent, the opt-out instruction included. */
  readonly text: string;
}

export type RenderedMessage = RenderedEmail | RenderedSms;

export interface RenderingFailure {
  readonly code: 'rendering_failed';
  readonly path: TemplatePart;
  readonly reason: string;
  readonly line?: number;
  readonly column?: number;
}

export type RenderResult =
  | { readonly ok: true; readonly message: RenderedMessage }
  | { readonly ok: false; readonly failure: RenderingFailure };

/** Thrown inside this module only, to leave a render early with its failure. */
class Failed extends Error {
  constructor(readonly failure: RenderingFailure) {
    super(failure.reason);
  }
}

const fail = (path: TemplatePart, reason: string): never => {
  throw new Failed({ code: 'rendering_failed', path, reason });
};

// No line break may reach a header (it would start another header), nor any other control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL_RUNS = /\s*[\u0000-\u001f\u007f]+\s*/g;

const timeOf = (now: RenderOptions['now']): number => {
  const t = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : new Date(now).getTime();
  if (!Number.isFinite(t)) throw new Error(`not a time: ${String(now)}`);
  return t;
};

/** Renders a compiled template for one recipient. */
export const renderCompiled = (
  compiled: CompiledTemplate,
  context: TemplateContext,
  options: RenderOptions = {},
): RenderResult => {
  const limits = { ...DEFAULT_RENDER_LIMITS, ...options.limits };
  const deadline = performance.now() + limits.renderMs;
  try {
    const globals = renderGlobals({ now: timeOf(options.now), timeZone: options.timeZone ?? 'UTC' });
    const render = (part: TemplatePart): string => {
      const liquid = compiled.parts[part]!;
      const renderLimit = deadline - performance.now();
      if (renderLimit <= 0) fail(part, `rendering took longer than ${limits.renderMs} ms`);
      try {
        const out = liquidEngines[formatOfPart(part)].renderSync(liquid as LiquidTemplate[], context, {
          globals,
          renderLimit,
          memoryLimit: limits.memory,
        });
        return String(out);
      } catch (error) {
        const problem = describeLiquidError(error, { ...DEFAULT_ENGINE_LIMITS, ...limits });
        throw new Failed({ code: 'rendering_failed', path: part, ...problem });
      }
    };
    const bounded = (part: TemplatePart, text: string, max: number): string =>
      text.length > max ? fail(part, `the rendered ${part} is longer than ${max} characters`) : text;

    if (compiled.channel === 'sms') {
      const written = render('text').trim();
      if (written === '') fail('text', 'the rendered text is empty');
      const text =
        compiled.kind === 'marketing'
          ? withSmsOptOut(written, options.smsOptOut ?? DEFAULT_SMS_OPT_OUT)
          : written;
      bounded('text', text, MAX_SMS_CHARS);
      return { ok: true, message: { channel: 'sms', text, ...smsParts(text) } };
    }

    const subject = render('subject').replace(CONTROL_RUNS, ' ').trim();
    if (subject === '') fail('subject', 'the rendered subject is empty');
    bounded('subject', subject, MAX_SUBJECT_CHARS);
    const html = bounded('html', render('html'), limits.htmlChars);
    const text = bounded('text', compiled.parts.text ? render('text') : textFromHtml(html), limits.textChars);
    if (compiled.kind === 'marketing') {
      // The save checked that the parts use {{ unsubscribe_url }}; this checks it reached the message.
      const url = context.unsubscribe_url;
      if (typeof url !== 'string' || url === '')
        fail('html', 'a marketing email needs an unsubscribe URL and none was given');
      const link = url as string;
      if (!html.includes(link) && !html.includes(escapeHtml(link)))
        fail('html', 'the rendered html does not contain the unsubscribe link');
      if (compiled.parts.text && !text.includes(link))
        fail('text', 'the rendered text does not contain the unsubscribe link');
    }
    return { ok: true, message: { channel: 'email', subject, html, text } };
  } catch (error) {
    if (error instanceof Failed) return { ok: false, failure: error.failure };
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      failure: { code: 'rendering_failed', path: compiled.channel === 'sms' ? 'text' : 'html', reason },
    };
  }
};

/**
 * Renders a template for one recipient. A stored template (with id and version) is compiled once
 * per version, through `options.cache`; a template being written (a preview before save) is
 * compiled for this render alone.
 */
export const renderTemplate = (
  template: TemplateInput | Template,
  context: TemplateContext,
  options: RenderOptions = {},
): RenderResult => {
  const result =
    'templateId' in template
      ? (options.cache ?? sharedTemplateCache).compiled(template)
      : compileTemplate(template);
  if (!result.ok) {
    const [first] = result.errors;
    return { ok: false, failure: { code: 'rendering_failed', ...first! } };
  }
  return renderCompiled(result.compiled, context, options);
};
