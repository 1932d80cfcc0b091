import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSegmentRule, type SegmentRuleContext } from './parse-segment-rule';
import { toFieldErrors } from './rule-errors';
import { rule as anyRule } from './segment-arbitraries.test-helpers';
import { type SegmentRule, segmentRuleSchema } from './segment-rule';

const none: SegmentRuleContext = { segments: new Map() };
const errorsOf = (json: unknown, context: SegmentRuleContext = none) => {
  const result = parseSegmentRule(json, context);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.rule)}`);
  return result.errors;
};
const only = (json: unknown, context: SegmentRuleContext = none) => {
  const errors = errorsOf(json, context);
  expect(errors).toHaveLength(1);
  return errors[0]!;
};
const leaf = (attribute: string, op: string, value?: unknown) =>
  value === undefined ? { attribute, op } : { attribute, op, value };

describe('parseSegmentRule accepts', () => {
  it('the rules of the issue', () => {
    const rule = {
      all: [
        { attribute: 'scores.lifecycle', op: 'in', value: ['lapsed', 'at risk'] },
        { attribute: 'lastPurchaseAt', op: 'before', value: '-P180D' },
        { attribute: 'consent.email.status', op: 'eq', value: 'granted' },
        {
          event: 'purchase',
          op: 'did',
          within: 'P30D',
          count: { gte: 2 },
          where: [{ property: 'category', op: 'eq', value: 'books' }],
        },
        { not: { campaign: 'c-1', op: 'received', within: 'P14D' } },
        { sample: { share: 0.1, seed: 's' } },
        { attribute: 'purchases.categories.books.spend', op: 'gt', value: 50 },
        { attribute: 'attributes.plan', op: 'eq', value: 'pro' },
      ],
    };
    expect(parseSegmentRule(rule, none)).toEqual({ ok: true, rule, nodes: 10 });
  });

  it('any valid rule, back from its JSON unchanged', () => {
    fc.assert(
      fc.property(anyRule, (rule) => {
        const parsed = parseSegmentRule(JSON.parse(JSON.stringify(rule)), none);
        expect(parsed.ok && parsed.rule).toEqual(rule);
        // ...and the OpenAPI shape agrees with the parser.
        expect(segmentRuleSchema.safeParse(rule).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('values in the form profiles store them', () => {
    expect(parseSegmentRule(leaf('country', 'in', ['gb', 'FR', 'gb']), none)).toMatchObject({
      rule: { value: ['GB', 'FR'] },
    });
    expect(parseSegmentRule(leaf('email', 'eq', 'Ann@Example.com'), none)).toMatchObject({
      rule: { value: 'ann@example.com' },
    });
  });
});

describe('parseSegmentRule names the node and the reason', () => {
  it('an unknown field, with the nearest known ones', () => {
    const error = only({ all: [leaf('country', 'eq', 'GB'), leaf('contry', 'eq', 'GB')] });
    expect(error).toEqual({
      path: 'rule.all[1].attribute',
      reason: 'unknown field contry; did you mean country?',
    });
    expect(only(leaf('lifecycle', 'eq', 'new')).reason).toContain('did you mean scores.lifecycle');
    expect(only(leaf('attributes.bad name', 'eq', 1)).reason).toMatch(/custom attribute names/);
  });

  it('an op the field type does not take, with the valid ones', () => {
    expect(only(leaf('country', 'gt', 'A'))).toEqual({
      path: 'rule.op',
      reason:
        'gt is not valid for country (a text); valid ops: eq, ne, in, notIn, contains, exists or notExists',
    });
    expect(only(leaf('purchases.orders', 'before', '-P1D')).reason).toMatch(
      /valid ops: eq, ne, in, notIn, gt/,
    );
    expect(only(leaf('createdAt', 'eq', '2025-01-01')).reason).toMatch(
      /not valid for createdAt \(a date-time\)/,
    );
    expect(only(leaf('country', 'equals', 'GB')).reason).toMatch(/^unknown op equals; ops are eq, ne/);
    expect(only(leaf('purchases.orders', 'exists')).reason).toMatch(
      /reads 0 for a profile without purchases/,
    );
  });

  it('a value of the wrong type', () => {
    expect(only(leaf('purchases.totalSpend', 'gt', '100'))).toMatchObject({
      path: 'rule.value',
      reason: expect.stringMatching(/must be a number/),
    });
    expect(only(leaf('scores.valueTier', 'in', ['gold', 'gld']))).toEqual({
      path: 'rule.value[1]',
      reason:
        'gld is not a value of scores.valueTier (values: gold, key, quality, general, restricted or eliminated); did you mean gold?',
    });
    expect(only(leaf('country', 'in', 'GB')).reason).toMatch(/non-empty array/);
    expect(only(leaf('country', 'eq', ['GB'])).reason).toMatch(/takes one value/);
    expect(only(leaf('country', 'exists', 'GB'))).toEqual({
      path: 'rule.value',
      reason: 'exists takes no value',
    });
    expect(only(leaf('country', 'eq', null)).reason).toMatch(/use notExists/);
    expect(only(leaf('attributes.seats', 'gt', 'many')).reason).toMatch(/a number or an ISO 8601 date-time/);
  });

  it('a bad date or duration', () => {
    expect(only(leaf('lastPurchaseAt', 'before', 'P180D')).reason).toBe(
      'a duration needs a sign: -P180D for that long ago, +P180D for that far ahead',
    );
    expect(only(leaf('lastPurchaseAt', 'before', '-P180')).reason).toMatch(/is not an ISO 8601 duration/);
    expect(only(leaf('lastPurchaseAt', 'before', '2025-13-01')).reason).toMatch(
      /must be an ISO 8601 date-time/,
    );
    expect(only({ any: [{ event: 'visit', op: 'did', within: '30 days' }] }).path).toBe('rule.any[0].within');
    expect(only({ event: 'visit', op: 'did', within: '-P30D' }).reason).toMatch(/without a sign: P30D/);
    expect(only({ event: 'visit', op: 'did', within: 'P2Y' }).reason).toMatch(/at most 399 days/);
    expect(only({ event: 'visit', op: 'did', within: 'PT0S' }).reason).toMatch(/longer than zero/);
  });

  it('event conditions the activity summary cannot answer', () => {
    expect(only({ event: 'visit', op: 'did', within: 'PT12H', count: { gte: 2 } })).toMatchObject({
      path: 'rule.count',
      reason: expect.stringMatching(/a day or more/),
    });
    expect(
      only({ event: 'purchase', op: 'did', where: [{ property: 'sku', op: 'eq', value: 'x' }] }),
    ).toEqual({
      path: 'rule.where[0].property',
      reason:
        'the activity summary keeps no property sku; where works on category, channel, campaignId, variant or kind',
    });
    const two = [
      { property: 'category', op: 'eq', value: 'books' },
      { property: 'channel', op: 'eq', value: 'web' },
    ];
    expect(only({ event: 'purchase', op: 'did', where: two }).reason).toMatch(/one condition/);
    expect(
      only({
        event: 'purchase',
        op: 'did',
        count: { gte: 2 },
        where: [{ property: 'category', op: 'in', value: ['books', 'music'] }],
      }).path,
    ).toBe('rule.count');
    expect(only({ event: 'visit', op: 'did', count: { eq: 0 } }).reason).toMatch(/never matches; use didNot/);
    expect(only({ event: 'visit', op: 'did', count: { gte: 1, lt: 3 } }).reason).toMatch(/one comparison/);
    expect(only({ event: 'Visit', op: 'did' }).path).toBe('rule.event');
    expect(only({ event: 'visit', op: 'done' }).path).toBe('rule.op');
  });

  it('an unknown segment or campaign', () => {
    const segments = new Map<string, SegmentRule>([['vip', leaf('tags', 'contains', 'vip') as SegmentRule]]);
    expect(only({ segment: 'vpi' }, { segments })).toEqual({
      path: 'rule.segment',
      reason: 'unknown segment vpi; did you mean vip?',
    });
    const campaigns = new Set(['c-1']);
    expect(only({ campaign: 'c-2', op: 'received' }, { segments, campaigns })).toEqual({
      path: 'rule.campaign',
      reason: 'unknown campaign c-2',
    });
    expect(parseSegmentRule({ campaign: 'c-2', op: 'received' }, { segments }).ok).toBe(true);
  });

  it('a cycle through segments, naming the chain', () => {
    const segments = new Map<string, SegmentRule>([
      ['a', { all: [{ segment: 'b' }, leaf('country', 'eq', 'GB') as SegmentRule] }],
      ['b', { not: { segment: 'self' } }],
      ['x', { segment: 'y' }],
      ['y', { segment: 'x' }],
    ]);
    expect(only({ any: [{ segment: 'a' }] }, { segments, selfId: 'self' })).toEqual({
      path: 'rule.any[0].segment',
      reason: 'cycle: self -> a -> b -> self',
    });
    expect(only({ segment: 'self' }, { segments, selfId: 'self' }).reason).toMatch(/cannot include itself/);
    expect(only({ segment: 'x' }, { segments }).reason).toBe('cycle among saved segments: x -> y -> x');
    expect(parseSegmentRule({ segment: 'a' }, { segments, selfId: 'other' }).ok).toBe(true);
  });

  it('a rule too deep or too large, counting referenced segments', () => {
    let deep: unknown = leaf('country', 'exists');
    for (let i = 0; i < 8; i++) deep = { not: deep };
    expect(only(deep)).toEqual({
      path: 'rule.not.not.not.not.not.not.not.not',
      reason: 'too deep: rules nest at most 8 levels',
    });
    const leaves = (n: number) => Array.from({ length: n }, () => leaf('country', 'exists'));
    expect(parseSegmentRule({ all: leaves(199) }, none).ok).toBe(true);
    expect(only({ all: leaves(200) })).toEqual({
      path: 'rule',
      reason: 'too large: 201 nodes counting the segments it refers to (at most 200)',
    });
    const segments = new Map<string, SegmentRule>([['big', { any: leaves(120) as SegmentRule[] }]]);
    expect(only({ all: [{ segment: 'big' }, { segment: 'big' }] }, { segments }).reason).toMatch(
      /^too large: 245 nodes/,
    );
  });

  it('a share outside (0, 1] or a bad seed', () => {
    expect(only({ sample: { share: 0, seed: 's' } }).path).toBe('rule.sample.share');
    expect(only({ sample: { share: 1.5, seed: 's' } }).reason).toMatch(/above 0 and at most 1/);
    expect(only({ sample: { share: 0.5, seed: '' } }).path).toBe('rule.sample.seed');
    expect(parseSegmentRule({ sample: { share: 1, seed: 's' } }, none).ok).toBe(true);
  });

  it('what is not a rule node', () => {
    expect(only('country = GB').reason).toMatch(/a rule is an object with one of "all", "any"/);
    expect(only({ atribute: 'country', op: 'eq', value: 'GB' }).reason).toMatch(
      /^unknown key atribute; did you mean attribute\?/,
    );
    expect(only({ all: [], any: [] }).reason).toMatch(/has both all and any/);
    expect(only({ all: [] })).toEqual({ path: 'rule.all', reason: 'all needs a non-empty list of rules' });
    expect(only({ attribute: 'country', op: 'eq', value: 'GB', values: ['FR'] })).toEqual({
      path: 'rule.values',
      reason: 'unknown key values: an attribute leaf has attribute, op and value',
    });
  });

  it('every fault at once, as API error details', () => {
    const errors = errorsOf({
      all: [leaf('contry', 'eq', 'GB'), { event: 'visit', op: 'did', within: 'P' }],
    });
    expect(toFieldErrors(errors).map((e) => e.path)).toEqual(['rule.all[0].attribute', 'rule.all[1].within']);
    expect(toFieldErrors(errors)[0]).toHaveProperty('message');
  });
});

describe('segmentRuleSchema', () => {
  it('describes rules in the OpenAPI document', () => {
    const json = z.toJSONSchema(segmentRuleSchema, { io: 'input', unrepresentable: 'any' });
    expect(JSON.stringify(json)).toContain('"attribute"');
  });
});
