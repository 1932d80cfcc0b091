import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../profiles/profile';
import { replaceProfile } from '../profiles/profile-changes';
import { renderTemplate } from './render-template';
import { withSmsOptOut } from './sms-opt-out';
import { type Template, type TemplateInput, templateInputSchema } from './template';
import { TemplateCache } from './template-cache';
import { buildTemplateContext, type TemplateExtras } from './template-context';

const AT = '2026-01-01T00:00:00Z';
const UNSUBSCRIBE = 'https://api.example.com/unsubscribe?token=a.b&c=1';
const extras: TemplateExtras = {
  unsubscribeUrl: UNSUBSCRIBE,
  offer: { code: 'WB-7Q2', expiresAt: '2026-02-01T00:00:00Z' },
};
const profileOf = (fields: Parameters<typeof replaceProfile>[1]): Profile =>
  replaceProfile('p-1', fields, undefined, AT);
const contextOf = (fields: Parameters<typeof replaceProfile>[1], more: TemplateExtras = extras) =>
  buildTemplateContext(profileOf(fields), more);

const email = (fields: Record<string, unknown> = {}): TemplateInput =>
  templateInputSchema.parse({
    name: 'Win-back',
    channel: 'email',
    subject: 'We miss you, {{ profile.firstName | default: "there" }}',
    html:
      '<p>Hi {{ profile.firstName | default: "there" }},</p>' +
      '<p>Use <strong>{{ offer.code }}</strong> before {{ offer.expiresAt | date: "%e %B" }}.</p>' +
      '<p><a href="https://shop.example.com/">Shop now</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    ...fields,
  });
const sms = (text: string, kind: 'marketing' | 'transactional' = 'marketing'): TemplateInput =>
  templateInputSchema.parse({ name: 'S', channel: 'sms', kind, text });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);

const rendered = (result: ReturnType<typeof renderTemplate>) => {
  if (!result.ok) throw new Error(`rendering failed: ${JSON.stringify(result.failure)}`);
  return result.message;
};
const failure = (result: ReturnType<typeof renderTemplate>) => {
  if (result.ok) throw new Error('expected the render to fail');
  return result.failure;
};

describe('renderTemplate, email', () => {
  it('renders subject, html and a text part generated from the html, links kept', () => {
    expect(rendered(renderTemplate(email(), contextOf({ firstName: 'Ann' })))).toEqual({
      channel: 'email',
      subject: 'We miss you, Ann',
      html:
        '<p>Hi Ann,</p><p>Use <strong>WB-7Q2</strong> before  1 February.</p>' +
        `<p><a href="https://shop.example.com/">Shop now</a> · <a href="${escapeHtml(UNSUBSCRIBE)}">Unsubscribe</a></p>`,
      text: `Hi Ann,\n\nUse WB-7Q2 before 1 February.\n\nShop now [https://shop.example.com/] · Unsubscribe\n[${UNSUBSCRIBE}]`,
    });
  });
  it('uses the text part when the template has one', () => {
    const template = email({ text: 'Hi {{ profile.firstName }} & co. Unsubscribe: {{ unsubscribe_url }}' });
    expect(rendered(renderTemplate(template, contextOf({ firstName: 'Ann' }))).text).toBe(
      `Hi Ann & co. Unsubscribe: ${UNSUBSCRIBE}`,
    );
  });
  it('escapes a hostile first name in html, leaves it literal elsewhere, never evaluates it', () => {
    const message = rendered(
      renderTemplate(email(), contextOf({ firstName: '<script>alert(1)</script>{{ 7*7 }}{% if true %}' })),
    );
    expect(message.channel === 'email' && message.html).toContain(
      '<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}{% if true %},</p>',
    );
    expect(message.channel === 'email' && message.subject).toBe(
      'We miss you, <script>alert(1)</script>{{ 7*7 }}{% if true %}',
    );
  });
  it('keeps the subject on one line whatever a value holds', () => {
    const context = buildTemplateContext(
      { ...profileOf({}), firstName: 'Ann\r\nBcc: evil@example.com' },
      extras,
    );
    expect(rendered(renderTemplate(email(), context))).toMatchObject({
      subject: 'We miss you, Ann Bcc: evil@example.com',
    });
  });
  it('fails a marketing email given no unsubscribe URL, or whose link did not reach the html', () => {
    expect(failure(renderTemplate(email(), contextOf({}, {})))).toEqual({
      code: 'rendering_failed',
      path: 'html',
      reason: 'a marketing email needs an unsubscribe URL and none was given',
    });
    const hidden = email({ html: '<p>Hi</p>{% if false %}{{ unsubscribe_url }}{% endif %}' });
    expect(failure(renderTemplate(hidden, contextOf({})))).toMatchObject({
      path: 'html',
      reason: 'the rendered html does not contain the unsubscribe link',
    });
  });
  it('sends a transactional email without one', () => {
    const receipt = email({ kind: 'transactional', html: '<p>Receipt for {{ profile.email }}</p>' });
    expect(rendered(renderTemplate(receipt, contextOf({ email: 'ann@example.com' }, {})))).toMatchObject({
      html: '<p>Receipt for ann@example.com</p>',
      text: 'Receipt for ann@example.com',
    });
  });
  it('fails when the subject renders empty or too long', () => {
    expect(failure(renderTemplate(email({ subject: '{{ profile.city }}' }), contextOf({})))).toMatchObject({
      path: 'subject',
      reason: 'the rendered subject is empty',
    });
    const long = email({ subject: '{% for i in (1..100) %}{{ profile.firstName }}{% endfor %}' });
    expect(failure(renderTemplate(long, contextOf({ firstName: 'Maximilian' })))).toMatchObject({
      path: 'subject',
      reason: 'the rendered subject is longer than 998 characters',
    });
  });
});

describe('renderTemplate, SMS', () => {
  it('appends the opt-out to a marketing text and counts the parts of what is sent', () => {
    expect(
      rendered(
        renderTemplate(
          sms('Hi {{ profile.firstName }}, use {{ offer.code }}'),
          contextOf({ firstName: 'Zoé' }),
        ),
      ),
    ).toEqual({
      channel: 'sms',
      text: 'Hi Zoé, use WB-7Q2\nReply STOP to opt out',
      encoding: 'GSM-7',
      parts: 1,
      characters: 40,
    });
  });
  it('counts the rendered text: a name outside GSM-7 makes it UCS-2', () => {
    expect(
      rendered(renderTemplate(sms('Hi {{ profile.firstName }}'), contextOf({ firstName: '王芳' }))),
    ).toMatchObject({
      encoding: 'UCS-2',
      parts: 1,
    });
  });
  it('uses the opt-out setting, and appends nothing to a transactional text', () => {
    expect(
      rendered(renderTemplate(sms('Sale'), contextOf({}), { smsOptOut: 'Text END to stop' })),
    ).toMatchObject({
      text: 'Sale\nText END to stop',
    });
    expect(rendered(renderTemplate(sms('Your code is 123', 'transactional'), contextOf({})))).toMatchObject({
      text: 'Your code is 123',
    });
  });
  it('fails a text that renders empty or longer than an SMS can be', () => {
    expect(failure(renderTemplate(sms('{{ profile.firstName }}'), contextOf({})))).toMatchObject({
      path: 'text',
      reason: 'the rendered text is empty',
    });
    const long = sms('{% for i in (1..200) %}{{ profile.firstName }}{% endfor %}');
    expect(failure(renderTemplate(long, contextOf({ firstName: 'Maximilian' })))).toMatchObject({
      reason: 'the rendered text is longer than 1600 characters',
    });
  });
});

describe('renderTemplate, bounded', () => {
  it('fails a render past its time limit, naming the part', () => {
    const slow = sms('{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}');
    const started = performance.now();
    expect(failure(renderTemplate(slow, contextOf({}), { limits: { renderMs: 30 } }))).toMatchObject({
      code: 'rendering_failed',
      path: 'text',
      reason: 'rendering took longer than 30 ms',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it('fails a render that builds too much', () => {
    const doubling = sms(
      '{% assign s = "x" %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
    );
    expect(failure(renderTemplate(doubling, contextOf({})))).toMatchObject({
      reason: 'rendering built more than 10000000 characters or elements',
    });
  });
  it('fails html longer than the limit', () => {
    const big = email({
      html: '{{ unsubscribe_url }}{% for i in (1..2000) %}<p>{{ profile.city }}</p>{% endfor %}',
    });
    expect(
      failure(
        renderTemplate(big, contextOf({ city: 'Llanfairpwllgwyngyll' }), {
          limits: { htmlChars: 10_000, renderMs: 10_000 },
        }),
      ),
    ).toEqual({
      code: 'rendering_failed',
      path: 'html',
      reason: 'the rendered html is longer than 10000 characters',
    });
  });
  it('fails a variable strictVariables meets only at render, with where it is', () => {
    const template = sms('{% assign p = profile %}Hi {{ p.nickname }}');
    expect(failure(renderTemplate(template, contextOf({})))).toEqual({
      code: 'rendering_failed',
      path: 'text',
      reason: 'unknown variable p.nickname',
      line: 1,
      column: 31,
    });
  });
  it('fails a template that does not compile instead of throwing', () => {
    expect(failure(renderTemplate(sms('Hi {{ first_name }}'), contextOf({})))).toMatchObject({
      code: 'rendering_failed',
      path: 'text',
      line: 1,
      column: 7,
    });
  });
});

describe('renderTemplate, stored templates', () => {
  const stored: Template = {
    ...(sms('Hi {{ profile.firstName }}') as Extract<TemplateInput, { channel: 'sms' }>),
    templateId: 't-1',
    version: 3,
    createdAt: AT,
    updatedAt: AT,
  };
  it('compiles a version once for all its recipients', () => {
    const cache = new TemplateCache();
    for (const firstName of ['Ann', 'Bob', 'Cy']) {
      expect(rendered(renderTemplate(stored, contextOf({ firstName }), { cache })).text).toBe(
        `Hi ${firstName}\nReply STOP to opt out`,
      );
    }
    expect(cache.size).toBe(1);
    const first = cache.compiled(stored);
    renderTemplate(stored, contextOf({}), { cache });
    expect(cache.compiled(stored)).toBe(first);
  });
  it('renders the same message for the same input and clock', () => {
    const template = sms('{{ profile.firstName }}: ends {{ "now" | date: "%e %b %H:%M" }}');
    const options = { now: '2026-03-01T09:15:00Z', timeZone: 'Europe/Paris' };
    const a = renderTemplate(template, contextOf({ firstName: 'Ann' }), options);
    expect(renderTemplate(template, contextOf({ firstName: 'Ann' }), options)).toEqual(a);
    expect(rendered(a).text).toBe('Ann: ends  1 Mar 10:15\nReply STOP to opt out');
  });
});

// Strings that look like markup or Liquid, mixed with anything.
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '{{',
      '}}',
      '{%',
      '%}',
      '<script>',
      '</p>',
      '&',
      '"',
      "'",
      '<',
      '>',
      '7*7',
      'raw',
      ' ',
      '|',
      '王',
      '🎉',
    ),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 40,
});

describe('renderTemplate, any profile value', () => {
  it('is rendered literally, escaped in html, never evaluated', () => {
    const template = email({
      subject: 'Hi {{ profile.firstName }}',
      html: '<p>{{ profile.firstName }}|{{ profile.attributes.note }}</p><a href="{{ unsubscribe_url }}">u</a>',
    });
    fc.assert(
      fc.property(hostile, hostile, (firstName, note) => {
        const context = buildTemplateContext({ ...profileOf({}), firstName, attributes: { note } }, extras);
        // fast-check's strings are printable: no control character for the subject to collapse.
        expect(rendered(renderTemplate(template, context))).toMatchObject({
          subject: `Hi ${firstName}`.trim(),
          html: `<p>${escapeHtml(firstName)}|${escapeHtml(note)}</p><a href="${escapeHtml(UNSUBSCRIBE)}">u</a>`,
        });
      }),
    );
  });
  it('is rendered literally in an SMS', () => {
    const template = sms('Hi {{ profile.firstName }}');
    fc.assert(
      fc.property(hostile, (firstName) => {
        const context = buildTemplateContext({ ...profileOf({}), firstName }, extras);
        expect(rendered(renderTemplate(template, context))).toMatchObject({
          text: withSmsOptOut(`Hi ${firstName}`.trim()),
        });
      }),
    );
  });
});

// Pieces of templates that loop, grow strings and nest: most sequences do not even parse.
const piece = fc.constantFrom(
  '{% for i in (1..1000) %}',
  '{% for j in (1..100000) %}',
  '{% endfor %}',
  '{% assign s = s | append: s %}',
  '{% assign s = profile.firstName | append: "xxxxxxxxxx" %}',
  '{{ s }}',
  '{{ s | size }}',
  '{{ profile.firstName | default: "there" | upcase }}',
  '{% if profile.city %}',
  '{% endif %}',
  '{{ profile.tags | join: s }}',
  '{{ s | split: "" | reverse | join: "" }}',
  '{{ "now" | date: "%Y" }}',
  'text ',
  '{{',
  '{{ unsubscribe_url }}',
);

describe('renderTemplate, any template', () => {
  it('returns a message or rendering_failed, never throws, within its limits', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('sms', 'email'), (pieces, channel) => {
        const source = `{% assign s = "ab" %}${pieces.join('')}`;
        const template =
          channel === 'sms' ? sms(source) : email({ html: source, subject: source.slice(0, 998) });
        const started = performance.now();
        const result = renderTemplate(template, contextOf({ firstName: 'Ann', tags: ['a', 'b'] }), {
          limits: { renderMs: 25, memory: 1_000_000, htmlChars: 100_000, textChars: 100_000 },
        });
        expect(performance.now() - started).toBeLessThan(2000);
        if (result.ok && result.message.channel === 'email')
          expect(result.message.html.length).toBeLessThanOrEqual(100_000);
        if (!result.ok) expect(result.failure.code).toBe('rendering_failed');
      }),
      { numRuns: 150 },
    );
  });
});
