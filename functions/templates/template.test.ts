import { describe, expect, it } from 'vitest';
import {
  MAX_EMAIL_PART_BYTES,
  MAX_SMS_CHARS,
  templateInputSchema,
  templateParts,
  templateSchema,
} from './template';

const email = { name: 'Win-back', channel: 'email', subject: 'Hi', html: '<p>Hi</p>' };

const issues = (input: unknown) =>
  (templateInputSchema.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('templateInputSchema', () => {
  it('makes a template marketing unless it says transactional', () => {
    expect(templateInputSchema.parse(email).kind).toBe('marketing');
    expect(templateInputSchema.parse({ ...email, kind: 'transactional' }).kind).toBe('transactional');
    expect(templateInputSchema.parse({ name: 'S', channel: 'sms', text: 'Hi' }).kind).toBe('marketing');
  });
  it('refuses a subject on two lines (header injection)', () => {
    expect(issues({ ...email, subject: 'Hi\r\nBcc: x@example.com' })).toEqual(['subject: must be one line']);
  });
  it('bounds every part', () => {
    expect(issues({ ...email, subject: 'x'.repeat(999) })).toEqual([
      'subject: must be at most 998 characters',
    ]);
    // Bytes, not characters: 200,000 three-byte characters are 600,000 bytes.
    expect(issues({ ...email, html: '€'.repeat(200_000) })).toEqual([
      `html: must be at most ${MAX_EMAIL_PART_BYTES} bytes`,
    ]);
    expect(issues({ name: 'S', channel: 'sms', text: 'x'.repeat(MAX_SMS_CHARS + 1) })).toEqual([
      'text: must be at most 1600 characters',
    ]);
  });
  it('refuses fields of the other channel and unknown channels', () => {
    expect(issues({ name: 'S', channel: 'sms', text: 'Hi', subject: 'x' })).toHaveLength(1);
    expect(issues({ ...email, channel: 'push' })).toHaveLength(1);
    expect(issues({ ...email, html: '' })).toEqual(['html: must not be empty']);
  });
});

describe('templateSchema', () => {
  it('is the input with id, version and times', () => {
    const stored = {
      ...email,
      kind: 'marketing',
      templateId: 't-1',
      version: 2,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-02T00:00:00Z',
    };
    expect(templateSchema.parse(stored)).toEqual(stored);
    expect(templateSchema.safeParse({ ...stored, version: 0 }).success).toBe(false);
  });
});

describe('templateParts', () => {
  it('lists the parts a template has, by field', () => {
    expect(templateParts(templateInputSchema.parse(email)).map(([p]) => p)).toEqual(['subject', 'html']);
    const withText = templateInputSchema.parse({ ...email, text: 'x' });
    expect(templateParts(withText).map(([p]) => p)).toEqual(['subject', 'html', 'text']);
    const sms = templateInputSchema.parse({ name: 'S', channel: 'sms', text: 'Hi' });
    expect(templateParts(sms)).toEqual([['text', 'Hi']]);
  });
});
