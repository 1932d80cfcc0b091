import { describe, expect, it } from 'vitest';
import { mergeProfileFields } from './merge-profile-fields';
import { replaceProfile } from './profile-changes';

const stored = replaceProfile(
  'p1',
  {
    email: 'ann@example.com',
    firstName: 'Ann',
    tags: ['vip'],
    attributes: { tier: 'gold' },
    consent: { email: { status: 'unsubscribed', source: 'link', timestamp: '2026-01-02T00:00:00Z' } },
  },
  undefined,
  '2026-01-01T00:00:00Z',
);

describe('mergeProfileFields', () => {
  it('lets non-empty values win, adds tags, merges attributes', () => {
    const merged = mergeProfileFields(stored, { lastName: 'Lee', tags: ['new'], attributes: { shoe: '42' } });
    expect(merged).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      tags: ['vip', 'new'],
      attributes: { tier: 'gold', shoe: '42' },
    });
  });

  it('never undoes an unsubscribe, but records a new channel consent', () => {
    const merged = mergeProfileFields(stored, {
      consent: {
        email: { status: 'granted', source: 'import', timestamp: '2026-03-01T00:00:00Z' },
        sms: { status: 'granted', source: 'import', timestamp: '2026-03-01T00:00:00Z' },
      },
    });
    expect(merged.consent?.email?.status).toBe('unsubscribed');
    expect(merged.consent?.sms?.status).toBe('granted');
  });
});
