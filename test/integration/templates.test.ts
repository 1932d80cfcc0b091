import { describe, expect, it } from 'vitest';
import { emailsTo, textsTo } from './mailbox';
import { api, unique, uniquePhone } from './support';

/**
 * Templates over HTTP on the local stack: checked at save, versioned, rendered for a real profile
 * with its hostile fields escaped, and test-sent through the SES and SMS emulators.
 */

const run = unique('tpl');
const winBack = {
  name: `${run} win-back`,
  channel: 'email',
  subject: 'We miss you, {{ profile.firstName | default: "friend" }}',
  html: '<p>Hello {{ profile.firstName | default: "friend" }},</p><p>Use {{ offer.code }}.</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
};

describe('templates', () => {
  it('are saved with what the save found, and every update is a new version', async () => {
    const created = await api('POST', '/templates', { body: winBack });
    expect(created.status, created.text).toBe(201);
    const { template, report } = created.json;
    expect(template).toMatchObject({ channel: 'email', kind: 'marketing', version: 1 });
    expect(template.templateId).toMatch(/^tpl_/);
    expect(created.headers.get('location')).toBe(`/templates/${template.templateId}`);
    expect(report.variables.html).toEqual(
      expect.arrayContaining(['profile.firstName', 'offer.code', 'unsubscribe_url']),
    );

    const updated = await api('PUT', `/templates/${template.templateId}`, {
      body: { ...winBack, subject: 'Come back, {{ profile.firstName | default: "friend" }}' },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.template).toMatchObject({ version: 2, createdAt: template.createdAt });
    const read = await api('GET', `/templates/${template.templateId}`);
    expect(read.json).toMatchObject({
      version: 2,
      subject: 'Come back, {{ profile.firstName | default: "friend" }}',
    });
    expect(read.json.usedBy).toEqual([]);
    const list = await api('GET', '/templates');
    expect(list.json.items.map((t: { templateId: string }) => t.templateId)).toContain(template.templateId);

    const sms = await api('PUT', `/templates/${template.templateId}`, {
      body: { name: 'x', channel: 'sms', text: 'hello' },
    });
    expect(sms.status).toBe(422);
    expect(sms.json.error.details[0].path).toBe('channel');

    expect((await api('DELETE', `/templates/${template.templateId}`)).status).toBe(204);
    expect((await api('GET', `/templates/${template.templateId}`)).status).toBe(404);
  });

  it('refuse what would fail or mislead, naming the field, line and column', async () => {
    const noLink = await api('POST', '/templates', {
      body: { ...winBack, html: '<p>Hello</p>' },
    });
    expect(noLink.status).toBe(422);
    expect(noLink.json.error.details).toEqual([
      { path: 'html', message: expect.stringContaining('{{ unsubscribe_url }}') },
    ]);
    // Transactional mail needs no unsubscribe link.
    const receipt = await api('POST', '/templates', {
      body: { ...winBack, kind: 'transactional', html: '<p>Your receipt</p>' },
    });
    expect(receipt.status, receipt.text).toBe(201);

    const typo = await api('POST', '/templates', {
      body: { ...winBack, html: `${winBack.html}\n<p>{{ profile.frstName }}</p>` },
    });
    expect(typo.status).toBe(422);
    expect(typo.json.error.details).toEqual([
      { path: 'html', message: expect.stringMatching(/^line 2, column \d+: .*profile\.firstName/) },
    ]);
    const include = await api('POST', '/templates', {
      body: { ...winBack, html: `${winBack.html}{% include 'secrets' %}` },
    });
    expect(include.status).toBe(422);
  });

  it('report SMS encoding and parts with the opt-out instruction counted', async () => {
    const gsm = await api('POST', '/templates', {
      body: { name: `${run} sms`, channel: 'sms', text: 'Hi {{ profile.firstName }}, 20% off this week.' },
    });
    expect(gsm.status, gsm.text).toBe(201);
    expect(gsm.json.report.sms).toMatchObject({ encoding: 'GSM-7', parts: 1, optOutAppended: true });
    const emoji = await api('POST', '/templates', {
      body: { name: `${run} sms emoji`, channel: 'sms', text: 'Hi 🎉 20% off. Reply STOP to opt out' },
    });
    expect(emoji.json.report.sms).toMatchObject({
      encoding: 'UCS-2',
      parts: 1,
      optOutAppended: false,
      nonGsmCharacters: ['🎉'],
    });
  });

  it('render for a real profile with its fields as data, escaped, never evaluated', async () => {
    const profileId = `${run}-hostile`;
    await api('PUT', `/profiles/${profileId}`, {
      body: { email: `${run}-hostile@example.com`, firstName: '<script>{{ 7 | times: 7 }}</script>' },
    });
    const { template } = (await api('POST', '/templates', { body: winBack })).json;
    const preview = await api('POST', `/templates/${template.templateId}/preview`, { body: { profileId } });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.html).toContain('Hello &lt;script&gt;{{ 7 | times: 7 }}&lt;/script&gt;,');
    expect(preview.json.html).not.toContain('<script>');
    expect(preview.json.html).not.toContain('49');
    expect(preview.json.subject).toBe('We miss you, <script>{{ 7 | times: 7 }}</script>');
    expect(preview.json.text).toContain('Hello <script>{{ 7 | times: 7 }}</script>,');
    const missing = await api('POST', `/templates/${template.templateId}/preview`, {
      body: { profileId: `${run}-nobody` },
    });
    expect(missing.status).toBe(404);
  });

  it('send one real test message, marked as a test', async () => {
    const { template } = (await api('POST', '/templates', { body: winBack })).json;
    const to = `${run}-tester@example.com`;
    const sent = await api('POST', `/templates/${template.templateId}/test-send`, {
      body: { to: ` ${to.toUpperCase()} ` },
    });
    expect(sent.status, sent.text).toBe(202);
    expect(sent.json).toMatchObject({ channel: 'email', messageId: expect.any(String) });
    const emails = await emailsTo(to);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('[TEST] We miss you, friend');
    expect(emails[0]!.body.html).toContain('Hello friend,');

    const sms = (
      await api('POST', '/templates', {
        body: {
          name: `${run} sms test`,
          channel: 'sms',
          text: 'Hello {{ profile.firstName | default: "you" }}',
        },
      })
    ).json.template;
    const phone = uniquePhone();
    const texted = await api('POST', `/templates/${sms.templateId}/test-send`, { body: { to: phone } });
    expect(texted.status, texted.text).toBe(202);
    expect((await textsTo(phone)).map((m) => m.message)).toEqual(['Hello you\nReply STOP to opt out']);

    const bad = await api('POST', `/templates/${sms.templateId}/test-send`, { body: { to: 'not a phone' } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0].path).toBe('to');
  });
});
