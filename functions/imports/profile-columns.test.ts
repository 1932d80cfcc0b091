import { describe, expect, it } from 'vitest';
import { planColumns, rowToFields } from './profile-columns';

const ctx = { now: '2026-11-22T00:00:00.000Z', source: 'drop-folder:test.csv' };

describe('planColumns', () => {
  it('matches headers regardless of case, spaces and punctuation, and lists unknown ones', () => {
    const plan = planColumns([
      'E-Mail',
      'First Name',
      'last_purchase_at',
      'attributes.shoeSize',
      'favourite colour',
    ]);
    expect(plan.columns).toEqual([
      { column: 'email' },
      { column: 'firstName' },
      { column: 'lastPurchaseAt' },
      { attribute: 'shoeSize' },
      undefined,
    ]);
    expect(plan.ignored).toEqual(['favourite colour']);
    expect(plan.errors).toEqual([]);
  });

  it('refuses a field named twice', () => {
    expect(planColumns(['email', 'Email']).errors).toEqual(['columns 1 and 2 both hold email']);
  });
});

describe('rowToFields', () => {
  const plan = planColumns([
    'email',
    'tags',
    'lastPurchaseAt',
    'emailConsent',
    'attributes.size',
    'birthDate',
  ]);

  it('reads tags, date-only timestamps, consent words and attributes; empty cells say nothing', () => {
    expect(rowToFields(plan, ['a@b.co', 'vip; winter', '2024-03-01', 'yes', 'M', ''], ctx)).toEqual({
      fields: {
        email: 'a@b.co',
        tags: ['vip', 'winter'],
        lastPurchaseAt: '2024-03-01T00:00:00Z',
        consent: { email: { status: 'granted', source: ctx.source, timestamp: ctx.now } },
        attributes: { size: 'M' },
      },
    });
  });

  it('names every bad field of a row', () => {
    const result = rowToFields(plan, ['a@b.co', '', 'last tuesday', 'maybe', '', '1990-02-31x'], ctx);
    expect('errors' in result && result.errors.map((e) => e.path)).toEqual([
      'emailConsent',
      'birthDate',
      'lastPurchaseAt',
    ]);
  });
});
