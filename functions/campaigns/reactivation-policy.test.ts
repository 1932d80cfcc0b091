import { describe, expect, it } from 'vitest';
import type { Profile } from '../profiles/profile';
import { replaceProfile } from '../profiles/profile-changes';
import { decideReactivation, isLapsed } from './reactivation-policy';

const now = new Date('2026-11-25T10:00:00Z');
const rules = { now, lapsedDays: 180, cooldownDays: 30 };
const granted = { status: 'granted' as const, source: 'web', timestamp: '2025-01-01T00:00:00Z' };
const make = (fields: Parameters<typeof replaceProfile>[1], extra: Partial<Profile> = {}): Profile => ({
  ...replaceProfile('p', fields, undefined, '2025-01-01T00:00:00Z'),
  ...extra,
});

describe('isLapsed', () => {
  it('needs both the last purchase and the last activity older than the window', () => {
    expect(isLapsed(make({ lastPurchaseAt: '2026-01-01T00:00:00Z' }), rules)).toBe(true);
    expect(
      isLapsed(
        make({ lastPurchaseAt: '2026-01-01T00:00:00Z', lastActivityAt: '2026-11-01T00:00:00Z' }),
        rules,
      ),
    ).toBe(false);
    expect(isLapsed(make({}), rules)).toBe(false);
  });
});

describe('decideReactivation', () => {
  it('emails with email consent, texts with only SMS consent', () => {
    expect(
      decideReactivation(
        make({ email: 'a@b.co', phone: '+447911123456', consent: { email: granted, sms: granted } }),
        rules,
      ),
    ).toEqual({ send: 'email' });
    expect(decideReactivation(make({ phone: '+447911123456', consent: { sms: granted } }), rules)).toEqual({
      send: 'sms',
    });
  });

  it('skips with the reason', () => {
    expect(decideReactivation(make({ email: 'a@b.co' }), rules)).toEqual({ skip: 'no_consent' });
    expect(
      decideReactivation(
        make({ email: 'a@b.co', consent: { email: { ...granted, status: 'unsubscribed' } } }),
        rules,
      ),
    ).toEqual({ skip: 'unsubscribed' });
    expect(decideReactivation(make({ firstName: 'X' }), rules)).toEqual({ skip: 'no_contact_point' });
    expect(
      decideReactivation(
        make(
          { email: 'a@b.co', consent: { email: granted } },
          { lastReactivationAt: '2026-11-01T00:00:00Z' },
        ),
        rules,
      ),
    ).toEqual({ skip: 'recently_contacted' });
    expect(
      decideReactivation(
        make(
          { email: 'a@b.co', consent: { email: granted } },
          { lastReactivationAt: '2026-09-01T00:00:00Z' },
        ),
        rules,
      ),
    ).toEqual({ send: 'email' });
  });
});
