import { describe, expect, it } from 'vitest';
import { mergeProfileFields, outranks } from './merge-profile-fields';
import { replaceProfile } from './profile-changes';

const crm = { source: 'crm', kind: 'internal' as const, at: '2026-01-01T00:00:00Z' };
const crmLater = { ...crm, at: '2026-06-01T00:00:00Z' };
const boughtList = { source: 'bought-list', kind: 'external' as const, at: '2026-09-01T00:00:00Z' };

const stored = replaceProfile(
  'p1',
  {
    email: 'ann@example.com',
    firstName: 'Ann',
    city: 'Leeds',
    tags: ['vip'],
    attributes: { tier: 'gold' },
    consent: { email: { status: 'unsubscribed', source: 'link', timestamp: '2026-01-02T00:00:00Z' } },
    provenance: { kind: 'internal', source: 'crm' },
  },
  undefined,
  crm.at,
);

describe('outranks', () => {
  it('puts internal above external, then newer above older', () => {
    expect(outranks(boughtList, crm)).toBe(false);
    expect(outranks(crm, boughtList)).toBe(true);
    expect(outranks(crmLater, crm)).toBe(true);
    expect(outranks(crm, crmLater)).toBe(false);
    expect(outranks(boughtList, undefined)).toBe(true);
  });
});

describe('mergeProfileFields', () => {
  it('lets newer internal values win, adds tags, merges attributes, and never erases with an empty value', () => {
    const { fields, fieldProvenance } = mergeProfileFields(
      stored,
      { lastName: 'Lee', city: 'York', firstName: '', tags: ['new'], attributes: { shoe: '42' } },
      crmLater,
    );
    expect(fields).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      city: 'York',
      tags: ['vip', 'new'],
      attributes: { tier: 'gold', shoe: '42' },
    });
    expect(fieldProvenance.city).toEqual(crmLater);
    expect(fieldProvenance.firstName).toEqual(stored.fieldProvenance?.firstName);
  });

  it('lets an external list fill gaps but never overwrite internal data', () => {
    const { fields, fieldProvenance } = mergeProfileFields(
      stored,
      { city: 'Hull', lastName: 'Lee', attributes: { tier: 'bronze' } },
      boughtList,
    );
    expect(fields.city).toBe('Leeds');
    expect(fields.lastName).toBe('Lee');
    expect(fields.attributes).toEqual({ tier: 'gold' });
    expect(fieldProvenance.lastName).toEqual(boughtList);
  });

  it('never undoes a withdrawal, and never lets an external list opt anyone in', () => {
    const consent = (status: 'granted' | 'denied', timestamp = '2026-03-01T00:00:00Z') => ({
      status,
      source: 'x',
      timestamp,
    });
    // An import's grant is stamped with the import's time, after the unsubscribe or not: never undone.
    const older = mergeProfileFields(
      stored,
      { consent: { email: consent('granted', '2025-12-01T00:00:00Z') } },
      crmLater,
    );
    expect(older.fields.consent?.email?.status).toBe('unsubscribed');
    const internal = mergeProfileFields(
      stored,
      { consent: { email: consent('granted'), sms: consent('granted') } },
      crmLater,
    );
    expect(internal.fields.consent?.email?.status).toBe('unsubscribed');
    expect(internal.fields.consent?.sms?.status).toBe('granted');
    const external = mergeProfileFields(stored, { consent: { sms: consent('granted') } }, boughtList);
    expect(external.fields.consent?.sms).toBeUndefined();
    const denial = mergeProfileFields(
      internal.fields as never,
      { consent: { sms: consent('denied') } },
      boughtList,
    );
    expect(denial.fields.consent?.sms?.status).toBe('denied');
  });
});
