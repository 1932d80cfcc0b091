import { describe, expect, it } from 'vitest';
import { templateInputSchema } from './template';
import { validateTemplate } from './validate-template';

const email = (fields: Record<string, unknown> = {}) =>
  templateInputSchema.parse({
    name: 'Win-back',
    channel: 'email',
    subject: 'We miss you, {{ profile.firstName | default: "there" }}',
    html: '<p>Hi {{ profile.firstName }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
    ...fields,
  });
const sms = (text: string, kind?: string) =>
  templateInputSchema.parse({ name: 'S', channel: 'sms', text, kind });

describe('validateTemplate, email', () => {
  it('accepts a marketing email that links to unsubscribe_url, and lists what it reads', () => {
    expect(validateTemplate(email())).toEqual({
      ok: true,
      variables: { subject: ['profile.firstName'], html: ['profile.firstName', 'unsubscribe_url'] },
    });
  });
  it('refuses a marketing email without the unsubscribe link (html, then a given text part)', () => {
    expect(validateTemplate(email({ html: '<p>Hi</p>' }))).toEqual({
      ok: false,
      errors: [
        {
          path: 'html',
          reason:
            'a marketing email must link to {{ unsubscribe_url }} in its html (or be "kind": "transactional")',
        },
      ],
    });
    expect(validateTemplate(email({ text: 'Hi {{ profile.firstName }}' }))).toEqual({
      ok: false,
      errors: [
        { path: 'text', reason: 'a marketing email must link to {{ unsubscribe_url }} in its text part too' },
      ],
    });
    expect(validateTemplate(email({ text: 'Unsubscribe: {{ unsubscribe_url }}' })).ok).toBe(true);
  });
  it('reports a syntax error and a missing link in one save', () => {
    const result = validateTemplate(email({ subject: '{{ oops', html: '<p>Hi</p>' }));
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['subject', 'html']);
  });
  it('does not ask a transactional email for one', () => {
    expect(validateTemplate(email({ kind: 'transactional', html: '<p>Your receipt</p>' })).ok).toBe(true);
  });
  it('reports syntax errors with field, line and column', () => {
    const result = validateTemplate(
      email({ subject: 'Hi {{ profile.firstName', html: '<p>\n  {% if x %}</p>' }),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'subject', reason: 'output "{{ profile.firstName" not closed', line: 1, column: 4 },
        { path: 'html', reason: 'tag {% if x %} not closed', line: 2, column: 3 },
      ],
    });
  });
  it('reports every unknown variable of every part, where it is', () => {
    const result = validateTemplate(
      email({
        subject: '{{ profile.frstName }}',
        html: '<a href="{{ unsubscribe_url }}">x</a>\n{{ offer.cod }} {{ profile.firstName }}',
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'subject',
          reason: 'unknown variable profile.frstName (did you mean profile.firstName?)',
          line: 1,
          column: 4,
        },
        { path: 'html', reason: 'unknown variable offer.cod (did you mean offer.code?)', line: 2, column: 4 },
      ],
    });
  });
  it('allows variables the template assigns or loops over', () => {
    const html =
      '{% assign name = profile.firstName | default: "there" %}{{ name }}' +
      '{% for tag in profile.tags %}{{ tag }}{{ forloop.index }}{% endfor %}' +
      '{% capture greeting %}Hi{% endcapture %}{{ greeting }}{{ unsubscribe_url }}';
    expect(validateTemplate(email({ html })).ok).toBe(true);
  });
  it('refuses unknown and refused filters and tags, and includes', () => {
    const reasons = (html: string) => {
      const r = validateTemplate(email({ html: `${html}{{ unsubscribe_url }}` }));
      return r.ok ? [] : r.errors.map((e) => e.reason);
    };
    expect(reasons('{{ profile.firstName | shout }}')).toEqual(['unknown filter shout']);
    expect(reasons('{{ profile.firstName | raw }}')[0]).toMatch(/^the raw filter is not allowed/);
    expect(reasons('{% include "header" %}')).toEqual([
      '{% include %} is not allowed: a template cannot include other templates',
    ]);
    expect(reasons('{% render "header" %}')).toHaveLength(1);
    expect(reasons('{% layout "base" %}')).toHaveLength(1);
  });
});

describe('validateTemplate, SMS', () => {
  it('reports encoding and parts of the text with the opt-out appended for marketing', () => {
    // 150 characters, then "\nReply STOP to opt out" (22): 172 septets, two parts.
    const text = 'x'.repeat(150);
    expect(validateTemplate(sms(text))).toEqual({
      ok: true,
      variables: { text: [] },
      sms: { encoding: 'GSM-7', parts: 2, characters: 172, optOutAppended: true, nonGsmCharacters: [] },
    });
    expect(validateTemplate(sms(text, 'transactional'))).toMatchObject({
      sms: { parts: 1, characters: 150, optOutAppended: false },
    });
  });
  it('does not append the opt-out when the text already holds it', () => {
    expect(validateTemplate(sms('Sale today. reply stop to opt out'))).toMatchObject({
      sms: { characters: 33, optOutAppended: false },
    });
  });
  it('uses the opt-out setting and tells why a text is UCS-2', () => {
    expect(
      validateTemplate(sms('Hi {{ profile.firstName }}, it’s on'), { smsOptOut: 'Text STOP to end' }),
    ).toEqual({
      ok: true,
      variables: { text: ['profile.firstName'] },
      sms: {
        encoding: 'UCS-2',
        parts: 1,
        characters: 52,
        optOutAppended: true,
        nonGsmCharacters: ['’'],
      },
    });
  });
  it('refuses unknown variables in the text', () => {
    expect(validateTemplate(sms('Hi {{ first_name }}'))).toMatchObject({
      ok: false,
      errors: [{ path: 'text', line: 1, column: 7 }],
    });
  });
});
