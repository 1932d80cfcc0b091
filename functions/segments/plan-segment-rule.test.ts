import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleTierKeys, shardOf, valueRiskKeys } from '../scoring-job/profile-scores';
import { evaluateSegmentRule } from './evaluate-segment-rule';
import { attributesOf, planName, planSegmentRule } from './plan-segment-rule';
import { activitySummary, rule as anyRule, NOW, profileItem } from './segment-arbitraries.test-helpers';
import type { SegmentRule } from './segment-rule';

const none = { segments: new Map<string, SegmentRule>() };
const pin = (attribute: string, value: string | string[]): SegmentRule =>
  typeof value === 'string' ? { attribute, op: 'eq', value } : { attribute, op: 'in', value };
const country: SegmentRule = { attribute: 'country', op: 'eq', value: 'GB' };

describe('planSegmentRule', () => {
  it('reads byLifecycleTier when the rule pins lifecycle and value tier', () => {
    const plan = planSegmentRule(
      { all: [pin('scores.lifecycle', ['lapsed', 'at risk']), pin('scores.valueTier', 'gold'), country] },
      none,
    );
    expect(plan).toEqual({
      kind: 'index',
      index: 'byLifecycleTier',
      keys: [...lifecycleTierKeys('at risk', 'gold'), ...lifecycleTierKeys('lapsed', 'gold')].sort(),
    });
    expect(plan.kind === 'index' && plan.keys[0]).toBe('at-risk#gold#0');
    expect(planName(plan)).toBe('index:byLifecycleTier');
  });

  it('reads byValueRisk for value tier and churn band, and the index with fewer partitions when both serve', () => {
    expect(
      planSegmentRule({ all: [pin('scores.valueTier', 'gold'), pin('scores.churnBand', 'high')] }, none),
    ).toEqual({
      kind: 'index',
      index: 'byValueRisk',
      keys: valueRiskKeys('gold', 'high'),
    });
    const both = planSegmentRule(
      {
        all: [
          pin('scores.lifecycle', ['lapsed', 'at risk', 'new']),
          pin('scores.valueTier', 'gold'),
          pin('scores.churnBand', 'high'),
        ],
      },
      none,
    );
    expect(planName(both)).toBe('index:byValueRisk');
  });

  it('reads byValueRisk for a value x risk cell: the tiers of its value level with its band', () => {
    expect(planSegmentRule(pin('scores.valueRiskCell', 'high/high'), none)).toEqual({
      kind: 'index',
      index: 'byValueRisk',
      keys: [...valueRiskKeys('gold', 'high'), ...valueRiskKeys('key', 'high')].sort(),
    });
    expect(
      planSegmentRule(
        { all: [pin('scores.valueRiskCell', ['high/high', 'low/high']), pin('scores.valueTier', 'gold')] },
        none,
      ),
    ).toEqual({ kind: 'index', index: 'byValueRisk', keys: valueRiskKeys('gold', 'high') });
  });

  it('never leaves out a profile of a pinned cell', () => {
    const cells = ['high/low', 'high/high', 'medium/medium', 'low/high'];
    const levels: Record<string, string> = {
      gold: 'high',
      key: 'high',
      quality: 'medium',
      general: 'medium',
      restricted: 'low',
    };
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...cells), { minLength: 1 }),
        fc.constantFrom(...Object.keys(levels)),
        fc.constantFrom('low', 'medium', 'high'),
        fc.string({ minLength: 1 }),
        (pinned, valueTier, churnBand, profileId) => {
          const profile = {
            profileId,
            scores: { valueTier, churnBand, valueRiskCell: `${levels[valueTier]}/${churnBand}` },
          };
          const rule = pin('scores.valueRiskCell', pinned);
          const plan = planSegmentRule(rule, none);
          if (plan.kind !== 'index' || !evaluateSegmentRule(rule, { profile }, { now: NOW, ...none })) return;
          expect(plan.keys).toContain(valueRiskKeys(valueTier, churnBand)[shardOf(profileId)]);
        },
      ),
    );
  });

  it('finds pins in nested alls, referenced segments and every branch of an any', () => {
    const segments = new Map<string, SegmentRule>([['gold', pin('scores.valueTier', 'gold')]]);
    expect(
      planName(
        planSegmentRule(
          { all: [{ segment: 'gold' }, { all: [pin('scores.lifecycle', 'new')] }] },
          { segments },
        ),
      ),
    ).toBe('index:byLifecycleTier');
    const either = planSegmentRule(
      {
        any: [
          { all: [pin('scores.lifecycle', 'lapsed'), pin('scores.valueTier', 'gold')] },
          { all: [pin('scores.lifecycle', 'new'), pin('scores.valueTier', 'key'), country] },
        ],
      },
      none,
    );
    expect(either).toEqual({
      kind: 'index',
      index: 'byLifecycleTier',
      keys: [...lifecycleTierKeys('lapsed', 'gold'), ...lifecycleTierKeys('new', 'key')].sort(),
    });
  });

  it('scans when nothing bounds the partitions', () => {
    const scans: SegmentRule[] = [
      pin('scores.lifecycle', 'lapsed'),
      { all: [pin('scores.lifecycle', 'lapsed'), country] },
      {
        all: [pin('scores.lifecycle', 'lapsed'), { attribute: 'scores.valueTier', op: 'ne', value: 'gold' }],
      },
      { not: { all: [pin('scores.lifecycle', 'lapsed'), pin('scores.valueTier', 'gold')] } },
      { any: [{ all: [pin('scores.lifecycle', 'lapsed'), pin('scores.valueTier', 'gold')] }, country] },
    ];
    for (const rule of scans)
      expect(planName(planSegmentRule(rule, none)), JSON.stringify(rule)).toBe('scan');
  });

  it('reads nothing when the pins contradict each other', () => {
    const plan = planSegmentRule(
      {
        all: [
          pin('scores.lifecycle', 'lapsed'),
          pin('scores.lifecycle', 'new'),
          pin('scores.valueTier', 'gold'),
        ],
      },
      none,
    );
    expect(plan).toEqual({ kind: 'index', index: 'byLifecycleTier', keys: [] });
  });

  it('never leaves out a profile the rule matches', () => {
    const stages = ['new', 'active', 'at risk', 'lapsed'];
    const tiers = ['gold', 'key', 'quality', 'general'];
    const pins = fc.tuple(
      fc.uniqueArray(fc.constantFrom(...stages), { minLength: 1 }),
      fc.uniqueArray(fc.constantFrom(...tiers), { minLength: 1 }),
    );
    fc.assert(
      fc.property(pins, anyRule, profileItem, activitySummary, ([l, t], extra, profile, activity) => {
        const rule: SegmentRule = { all: [pin('scores.lifecycle', l), extra, pin('scores.valueTier', t)] };
        const plan = planSegmentRule(rule, none);
        expect(plan.kind).toBe('index');
        if (plan.kind !== 'index' || !evaluateSegmentRule(rule, { profile, activity }, { now: NOW, ...none }))
          return;
        const scores = profile.scores as { lifecycle: string; valueTier: string };
        const key = lifecycleTierKeys(scores.lifecycle, scores.valueTier)[
          shardOf(profile.profileId as string)
        ]!;
        expect(plan.keys).toContain(key);
      }),
      { numRuns: 300 },
    );
  });
});

describe('attributesOf', () => {
  it('projects the top-level attributes the rule reads, with what the caller always needs', () => {
    const segments = new Map<string, SegmentRule>([
      ['vip', { attribute: 'tags', op: 'contains', value: 'vip' }],
    ]);
    const rule: SegmentRule = {
      all: [
        { attribute: 'consent.email.status', op: 'eq', value: 'granted' },
        { attribute: 'purchases.categories.books.spend', op: 'gt', value: 10 },
        { any: [{ segment: 'vip' }, { event: 'visit', op: 'did', within: 'P7D' }] },
        { sample: { share: 0.5, seed: 's' } },
      ],
    };
    expect(attributesOf(rule, { segments, always: ['email', 'phone', 'consent'] })).toEqual([
      'activity',
      'consent',
      'email',
      'phone',
      'profileId',
      'purchases',
      'tags',
    ]);
    expect(attributesOf({ campaign: 'c-1', op: 'notReceived' }, none)).toEqual([
      'activity',
      'contactLog',
      'profileId',
    ]);
    expect(attributesOf({ attribute: 'attributes.plan', op: 'exists' }, none)).toEqual([
      'attributes',
      'profileId',
    ]);
  });
});
