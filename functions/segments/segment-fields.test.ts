import { describe, expect, it } from 'vitest';
import { profileFieldsSchema } from '../profiles/profile';
import { DEFAULT_SEGMENT_FIELDS, opsFor, segmentFieldCatalogue } from './segment-fields';

const field = (path: string) => {
  const f = DEFAULT_SEGMENT_FIELDS.field(path);
  if (!f) throw new Error(`no field ${path}`);
  return f;
};

describe('the field catalogue', () => {
  it('has every scalar profile field a client writes, and the system fields', () => {
    const objects = new Set(['attributes', 'consent', 'provenance']);
    for (const key of Object.keys(profileFieldsSchema.shape))
      if (!objects.has(key)) expect(DEFAULT_SEGMENT_FIELDS.field(key), key).toBeDefined();
    for (const path of [
      'createdAt',
      'updatedAt',
      'phoneType',
      'consent.sms.status',
      'provenance.kind',
      'scores.scoredAt',
    ])
      expect(DEFAULT_SEGMENT_FIELDS.field(path), path).toBeDefined();
  });

  it('reads nested fields from a profile item, and nothing from one without them', () => {
    const profile = {
      consent: { email: { status: 'granted', source: 'web', timestamp: '2025-01-01T00:00:00Z' } },
      scores: { rfm: { segment: 'Champions', recency: 5 }, valueTier: 'gold' },
      attributes: { 'plan.tier': 'pro' },
      purchases: { orders: 3, categories: { 'books.fiction': { spend: 12.5, count: 2 } } },
    };
    expect(field('consent.email.status').read(profile)).toBe('granted');
    expect(field('scores.rfm.segment').read(profile)).toBe('Champions');
    expect(field('attributes.plan.tier').read(profile)).toBe('pro');
    expect(field('purchases.categories.books.fiction.spend').read(profile)).toBe(12.5);
    expect(field('purchases.categories.books.fiction.count').attribute).toBe('purchases');
    expect(field('consent.sms.status').read(profile)).toBeUndefined();
    expect(field('scores.rfm.segment').read({ scores: { rfm: null } })).toBeUndefined();
    expect(DEFAULT_SEGMENT_FIELDS.field('purchases.categories.books')).toBeUndefined();
    expect(DEFAULT_SEGMENT_FIELDS.field('purchases.categories..spend')).toBeUndefined();
  });

  it('gives each type its ops, and purchase counters no exists (they read 0)', () => {
    expect(opsFor(field('country'))).toContain('contains');
    expect(opsFor(field('country'))).not.toContain('gt');
    expect(opsFor(field('birthDate'))).toEqual(expect.arrayContaining(['before', 'after', 'eq']));
    expect(opsFor(field('lastPurchaseAt'))).not.toContain('eq');
    expect(opsFor(field('tags'))).toEqual(['contains', 'in', 'notIn', 'exists', 'notExists']);
    expect(opsFor(field('purchases.orders'))).not.toContain('exists');
    expect(opsFor(field('purchases.lastPurchaseAt'))).toContain('exists');
    expect(field('purchases.categories.toys.spend').zeroWhenMissing).toBe(true);
  });

  it('takes the score labels of a deployment', () => {
    const custom = segmentFieldCatalogue({
      valueTiers: ['platinum', 'rest'],
      churnBands: ['safe', 'risky'],
      lifecycleStages: ['prospect'],
      rfmSegments: [],
      valueRiskCells: [],
      actions: [],
    });
    expect(custom.field('scores.valueTier')!.values).toEqual(['platinum', 'rest']);
    expect(field('scores.valueTier').values).toEqual([
      'gold',
      'key',
      'quality',
      'general',
      'restricted',
      'eliminated',
    ]);
    expect(field('scores.lifecycle').values).toContain('at risk');
  });
});
