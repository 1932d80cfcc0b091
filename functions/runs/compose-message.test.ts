import { describe, expect, it } from 'vitest';
import type { RenderedEmail } from '../templates/render-template';
import { composeEmail, type EmailEnvelope, listIdOf } from './compose-message';

const rendered: RenderedEmail = {
  channel: 'email',
  subject: 'We miss you, Ada',
  html: '<p>Come back for 20 % off</p>',
  text: 'Come back for 20 % off',
};
const envelope: EmailEnvelope = {
  to: 'ada@example.com',
  kind: 'marketing',
  unsubscribeUrl: 'https://api.rekindle.example/unsubscribe?t=abc.def',
  listId: 'spring.shop.example',
  listName: 'Spring sale',
  tags: { campaign: 'cmp_spring', run: 'run_spring_20260610T080000Z', variant: '0', profile: 'p1' },
};
const headersOf = (changes: Partial<EmailEnvelope> = {}) =>
  composeEmail(rendered, { ...envelope, ...changes }).headers;

describe('composeEmail', () => {
  it('sends the rendered message to the recipient, tagged for the events that come back', () => {
    expect(composeEmail(rendered, envelope)).toMatchObject({
      to: 'ada@example.com',
      subject: 'We miss you, Ada',
      html: '<p>Come back for 20 % off</p>',
      text: 'Come back for 20 % off',
      tags: envelope.tags,
    });
  });

  it('offers marketing mail a one-click unsubscribe (RFC 8058) at the unsubscribe URL', () => {
    expect(headersOf()).toEqual({
      'List-Id': '"Spring sale" <spring.shop.example>',
      'List-Unsubscribe': '<https://api.rekindle.example/unsubscribe?t=abc.def>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('adds the mailto: alternative after the URL when there is an unsubscribe mailbox', () => {
    expect(headersOf({ unsubscribeMailto: 'unsubscribe@shop.example' })['List-Unsubscribe']).toBe(
      '<https://api.rekindle.example/unsubscribe?t=abc.def>, <mailto:unsubscribe@shop.example?subject=unsubscribe>',
    );
  });

  it('gives transactional mail a List-Id but no unsubscribe headers', () => {
    expect(headersOf({ kind: 'transactional', unsubscribeMailto: 'unsubscribe@shop.example' })).toEqual({
      'List-Id': '"Spring sale" <spring.shop.example>',
    });
  });

  it('drops quotes, backslashes and non-ASCII characters from the list name', () => {
    expect(headersOf({ listName: 'Ada’s "best" \\ offers – été' })['List-Id']).toBe(
      '"Adas best  offers  t" <spring.shop.example>',
    );
  });

  it('keeps at most 100 characters of the list name, and none when nothing printable is left', () => {
    const long = headersOf({ listName: 'x'.repeat(150) })['List-Id']!;
    expect(long).toBe(`"${'x'.repeat(100)}" <spring.shop.example>`);
    expect(headersOf({ listName: '  “日本” ' })['List-Id']).toBe('<spring.shop.example>');
    expect(headersOf({ listName: '' })['List-Id']).toBe('<spring.shop.example>');
  });

  it('never lets a list name break out of the header with a line break', () => {
    const header = headersOf({ listName: 'Spring\r\nBcc: everyone@example.com' })['List-Id']!;
    expect(header).not.toMatch(/[\r\n]/);
  });
});

describe('listIdOf', () => {
  it('puts the campaign at the From address’s domain, written with a name or bare', () => {
    expect(listIdOf('Shop <news@Shop.Example>', 'cmp_Spring25')).toBe('cmp-spring25.shop.example');
    expect(listIdOf('news@shop.example', 'cmp_spring')).toBe('cmp-spring.shop.example');
    expect(listIdOf('"Shop, Inc." <news@mail.shop.example> ', 'cmp_spring')).toBe(
      'cmp-spring.mail.shop.example',
    );
  });

  it('names the topic instead of the campaign when there is one, so a topic’s campaigns share a list', () => {
    expect(listIdOf('news@shop.example', 'cmp_spring', 'newsletter')).toBe('newsletter.shop.example');
    expect(listIdOf('news@shop.example', 'cmp_autumn', 'newsletter')).toBe('newsletter.shop.example');
  });

  it('lower-cases the list and turns any character but a-z, 0-9 and - into -', () => {
    expect(listIdOf('news@shop.example', 'cmp_x', 'weekly_deals-2026')).toBe(
      'weekly-deals-2026.shop.example',
    );
    expect(listIdOf('news@shop.example', 'cmp_AbC')).toBe('cmp-abc.shop.example');
  });

  it('falls back to an invalid domain when the From address has none', () => {
    expect(listIdOf('Shop', 'cmp_spring')).toBe('cmp-spring.rekindle.invalid');
  });
});
