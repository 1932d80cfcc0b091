import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentAfter, futureConsentErrors, nextConsent } from './consent-rule';
import type { Consent } from './profile';

const at = (iso: string, status: Consent['status'], source = 'web-form'): Consent => ({
  status,
  source,
  timestamp: iso,
});
const unsubscribed = at('2026-11-30T09:00:00Z', 'unsubscribed', 'one-click');

describe('the consent rule', () => {
  it('keeps an unsubscribe against an older grant, and says so', () => {
    const next = nextConsent('email', unsubscribed, at('2020-01-01T00:00:00Z', 'granted'));
    expect(next.consent).toEqual(unsubscribed);
    expect(next.notice?.path).toBe('consent.email');
    expect(next.notice?.message).toMatch(/stays unsubscribed since 2026-11-30T09:00:00Z .*not newer/);
  });

  it('lets a newer grant replace a withdrawal, and a withdrawal replace anything', () => {
    const regrant = at('2026-12-01T10:00:00Z', 'granted', 'checkout');
    expect(nextConsent('email', unsubscribed, regrant)).toEqual({ consent: regrant });
    const denied = at('2026-12-01T10:00:00Z', 'denied');
    expect(nextConsent('sms', denied, at('2026-12-01T10:00:00Z', 'granted')).consent).toEqual(denied);
    const old = at('2019-01-01T00:00:00Z', 'unsubscribed');
    expect(nextConsent('email', regrant, old)).toEqual({ consent: old });
  });

  it('keeps a withdrawal against a grant with no time of its own (an import row), however new', () => {
    const next = nextConsent('email', unsubscribed, at('2030-01-01T00:00:00Z', 'granted'), {
      explicit: false,
    });
    expect(next.consent).toEqual(unsubscribed);
    expect(next.notice?.message).toMatch(/without a time of its own/);
  });

  it('never erases a withdrawal when a write leaves consent out; removes a grant', () => {
    expect(consentAfter({ email: unsubscribed, sms: at('2026-01-01T00:00:00Z', 'granted') }, {})).toEqual({
      consent: { email: unsubscribed },
      notices: [{ path: 'consent.email', message: expect.stringMatching(/is not erased/) }],
    });
  });

  it('refuses consent dated in the future beyond five minutes of clock skew', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    expect(futureConsentErrors({ email: at('2026-12-04T12:04:00Z', 'granted') }, now)).toEqual([]);
    expect(futureConsentErrors({ sms: at('2026-12-04T12:06:00Z', 'granted') }, now)).toEqual([
      { path: 'consent.sms.timestamp', message: 'must not be in the future' },
    ]);
  });

  it('over any sequence of writes: a withdrawal, once stored, is never erased, and only a newer grant undoes it', () => {
    const statuses = fc.constantFrom<Consent['status']>('granted', 'denied', 'unsubscribed');
    const consent = fc
      .record({ status: statuses, t: fc.integer({ min: 0, max: 1_000 }) })
      .map(({ status, t }) => at(new Date(Date.UTC(2026, 0, 1) + t * 60_000).toISOString(), status));
    fc.assert(
      fc.property(fc.array(fc.option(consent, { nil: undefined }), { maxLength: 10 }), (writes) => {
        let stored: Consent | undefined;
        for (const offered of writes) {
          const before = stored;
          stored = nextConsent('email', before, offered).consent;
          if (before && before.status !== 'granted') {
            expect(stored).toBeDefined();
            if (stored?.status === 'granted')
              expect(Date.parse(stored.timestamp)).toBeGreaterThan(Date.parse(before.timestamp));
          }
        }
      }),
    );
  });
});
