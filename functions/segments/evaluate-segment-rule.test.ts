import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActivityEvent, recordActivity } from './activity-summary';
import { compileSegmentRule, evaluateSegmentRule, type SegmentSubject } from './evaluate-segment-rule';
import { parseSegmentRule } from './parse-segment-rule';
import { activitySummary, rule as anyRule, NOW, profileItem } from './segment-arbitraries.test-helpers';
import type { ProfileItem } from './segment-fields';
import type { SegmentRule } from './segment-rule';

const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const context = { now: NOW, segments: new Map<string, SegmentRule>() };

/** Parses first, so every rule here is one a user could save. */
const matches = (
  json: unknown,
  profile: ProfileItem,
  events: readonly ActivityEvent[] = [],
  segments = context.segments,
) => {
  const parsed = parseSegmentRule(json, { segments });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return evaluateSegmentRule(
    parsed.rule,
    { profile, activity: recordActivity(undefined, events) },
    { now: NOW, segments },
  );
};

const ann: ProfileItem = {
  profileId: 'p-ann',
  email: 'ann@example.com',
  firstName: 'Ann',
  country: 'GB',
  birthDate: '1990-05-01',
  tags: ['vip', 'newsletter'],
  lastPurchaseAt: ago(200),
  consent: { email: { status: 'granted', source: 'web', timestamp: ago(300) } },
  purchases: { orders: 4, totalSpend: 180, categories: { books: { spend: 60, count: 3 } } },
  scores: {
    lifecycle: 'lapsed',
    valueTier: 'gold',
    clv: 320.5,
    rfm: { segment: 'Cannot Lose Them', recency: 1 },
  },
  attributes: { plan: 'pro', seats: 3, trialEndsAt: new Date(NOW.getTime() + 2 * DAY).toISOString() },
};

describe('evaluateSegmentRule', () => {
  it('answers a campaign leaf from the contact log the sender keeps, within its window', () => {
    const log = (daysAgo: number, campaignId = 'cmp_winback') => ({
      ...ann,
      contactLog: { version: 1, email: [{ at: NOW.getTime() - daysAgo * DAY, campaignId }], sms: [] },
    });
    const received = { campaign: 'cmp_winback', op: 'received', within: 'P14D' };
    expect(matches(received, log(3))).toBe(true);
    expect(matches(received, log(20))).toBe(false);
    expect(matches(received, log(3, 'cmp_other'))).toBe(false);
    expect(matches({ campaign: 'cmp_winback', op: 'received' }, log(29))).toBe(true);
    expect(matches({ ...received, op: 'notReceived' }, log(3))).toBe(false);
    expect(matches({ ...received, op: 'notReceived' }, ann)).toBe(true);
  });

  it('selects the lapsed gold customer of a win-back rule, and not when any part fails', () => {
    const rule = {
      all: [
        { attribute: 'scores.lifecycle', op: 'in', value: ['lapsed', 'at risk'] },
        { attribute: 'scores.valueTier', op: 'eq', value: 'gold' },
        { attribute: 'lastPurchaseAt', op: 'before', value: '-P180D' },
        { attribute: 'consent.email.status', op: 'eq', value: 'granted' },
        { not: { campaign: 'winback', op: 'received', within: 'P14D' } },
      ],
    };
    expect(matches(rule, ann)).toBe(true);
    expect(matches(rule, { ...ann, lastPurchaseAt: ago(100) })).toBe(false);
    expect(matches(rule, { ...ann, scores: { lifecycle: 'active', valueTier: 'gold' } })).toBe(false);
    const sent = {
      type: 'message_sent',
      at: ago(3),
      properties: { campaignId: 'winback', channel: 'email' },
    };
    expect(matches(rule, ann, [sent])).toBe(false);
    expect(matches(rule, ann, [{ ...sent, at: ago(20) }])).toBe(true);
  });

  it('treats a missing value as matching no comparison and every negation', () => {
    const bare: ProfileItem = { profileId: 'p-bare' };
    const cases: [unknown, boolean][] = [
      [{ attribute: 'country', op: 'eq', value: 'GB' }, false],
      [{ attribute: 'country', op: 'ne', value: 'GB' }, true],
      [{ attribute: 'country', op: 'in', value: ['GB'] }, false],
      [{ attribute: 'country', op: 'notIn', value: ['GB'] }, true],
      [{ attribute: 'country', op: 'contains', value: 'G' }, false],
      [{ attribute: 'country', op: 'exists' }, false],
      [{ attribute: 'country', op: 'notExists' }, true],
      [{ attribute: 'tags', op: 'notIn', value: ['vip'] }, true],
      [{ attribute: 'scores.clv', op: 'gt', value: 0 }, false],
      [{ attribute: 'scores.clv', op: 'lte', value: 0 }, false],
      [{ not: { attribute: 'scores.clv', op: 'gt', value: 0 } }, true],
      [{ attribute: 'lastPurchaseAt', op: 'before', value: '-P180D' }, false],
      [{ attribute: 'lastPurchaseAt', op: 'after', value: '-P180D' }, false],
      // Purchase counters read 0: never bought is fewer than 2 orders.
      [{ attribute: 'purchases.orders', op: 'lt', value: 2 }, true],
      [{ attribute: 'purchases.categories.books.spend', op: 'eq', value: 0 }, true],
    ];
    for (const [rule, expected] of cases) expect(matches(rule, bare), JSON.stringify(rule)).toBe(expected);
    expect(matches({ attribute: 'tags', op: 'exists' }, { ...bare, tags: [] })).toBe(false);
    expect(matches({ attribute: 'scores.clv', op: 'exists' }, { ...bare, scores: { clv: null } })).toBe(
      false,
    );
  });

  it('compares custom attributes by their JSON type', () => {
    const p = { profileId: 'p', attributes: { n: 1, s: '1', b: true, d: '2026-03-01', word: '1' } };
    expect(matches({ attribute: 'attributes.n', op: 'eq', value: 1 }, p)).toBe(true);
    expect(matches({ attribute: 'attributes.s', op: 'eq', value: 1 }, p)).toBe(false);
    expect(matches({ attribute: 'attributes.s', op: 'ne', value: 1 }, p)).toBe(true);
    expect(matches({ attribute: 'attributes.s', op: 'gt', value: 0 }, p)).toBe(false);
    expect(matches({ attribute: 'attributes.b', op: 'in', value: [true, 'yes'] }, p)).toBe(true);
    expect(matches({ attribute: 'attributes.d', op: 'before', value: '-P1D' }, p)).toBe(true);
    // A text such as "1" is no date, though Date.parse would read it as one.
    expect(matches({ attribute: 'attributes.word', op: 'before', value: '+P1D' }, p)).toBe(false);
  });

  it('compares dates against the evaluation time, in either direction', () => {
    expect(matches({ attribute: 'attributes.trialEndsAt', op: 'before', value: '+P3D' }, ann)).toBe(true);
    expect(matches({ attribute: 'attributes.trialEndsAt', op: 'before', value: '+P1D' }, ann)).toBe(false);
    expect(matches({ attribute: 'birthDate', op: 'before', value: '-P18Y' }, ann)).toBe(true);
    expect(matches({ attribute: 'birthDate', op: 'eq', value: '1990-05-01' }, ann)).toBe(true);
    expect(matches({ attribute: 'birthDate', op: 'after', value: '1990-05-01T12:00:00+02:00' }, ann)).toBe(
      false,
    );
    expect(matches({ attribute: 'lastPurchaseAt', op: 'gte', value: '2025-01-01' }, ann)).toBe(true);
    expect(matches({ attribute: 'consent.email.timestamp', op: 'after', value: '-P1Y' }, ann)).toBe(true);
  });

  it('matches texts by contains ignoring case, lists by their elements', () => {
    expect(matches({ attribute: 'email', op: 'contains', value: '@EXAMPLE.' }, ann)).toBe(true);
    expect(matches({ attribute: 'firstName', op: 'eq', value: 'ann' }, ann)).toBe(false);
    expect(matches({ attribute: 'tags', op: 'contains', value: 'vip' }, ann)).toBe(true);
    expect(matches({ attribute: 'tags', op: 'contains', value: 'VIP' }, ann)).toBe(false);
    expect(matches({ attribute: 'tags', op: 'in', value: ['b2b', 'newsletter'] }, ann)).toBe(true);
    expect(matches({ attribute: 'tags', op: 'notIn', value: ['b2b', 'newsletter'] }, ann)).toBe(false);
    expect(matches({ attribute: 'country', op: 'eq', value: 'gb' }, ann)).toBe(true);
  });

  it('answers event leaves from the activity summary', () => {
    const events: ActivityEvent[] = [
      { type: 'purchase', at: ago(2), properties: { items: [{ category: 'books' }] } },
      { type: 'purchase', at: ago(9), properties: { items: [{ category: 'books' }, { category: 'toys' }] } },
    ];
    const books = [{ property: 'category', op: 'eq', value: 'books' }];
    expect(
      matches({ event: 'purchase', op: 'did', within: 'P30D', count: { gte: 2 }, where: books }, ann, events),
    ).toBe(true);
    expect(
      matches({ event: 'purchase', op: 'did', within: 'P7D', count: { gte: 2 }, where: books }, ann, events),
    ).toBe(false);
    expect(matches({ event: 'visit', op: 'didNot', within: 'P30D' }, ann, events)).toBe(true);
    // The summary on the profile item serves when the subject does not bring one.
    const rule = { event: 'purchase', op: 'did' } as const;
    const profile = { ...ann, activity: recordActivity(undefined, events) };
    expect(evaluateSegmentRule(rule, { profile }, context)).toBe(true);
    expect(evaluateSegmentRule(rule, { profile: ann }, context)).toBe(false);
  });

  it('includes saved segments, and fails loudly on one that is gone or loops', () => {
    const segments = new Map<string, SegmentRule>([
      ['gold', { attribute: 'scores.valueTier', op: 'eq', value: 'gold' }],
      ['gold-gb', { all: [{ segment: 'gold' }, { attribute: 'country', op: 'eq', value: 'GB' }] }],
      ['loop', { segment: 'loop' }],
    ]);
    expect(matches({ segment: 'gold-gb' }, ann, [], segments)).toBe(true);
    expect(matches({ segment: 'gold-gb' }, { ...ann, country: 'FR' }, [], segments)).toBe(false);
    const subject = { profile: ann };
    expect(() => evaluateSegmentRule({ segment: 'gone' }, subject, { now: NOW, segments })).toThrow(
      /unknown segment gone/,
    );
    expect(() => evaluateSegmentRule({ segment: 'loop' }, subject, { now: NOW, segments })).toThrow(/cycle/);
    expect(() => evaluateSegmentRule({ attribute: 'nope', op: 'exists' }, subject, context)).toThrow(
      /unknown field/,
    );
  });

  it('takes a stable sample of profiles', () => {
    const rule = { sample: { share: 0.3, seed: 'spring' } };
    const ids = Array.from({ length: 5000 }, (_, i) => `c-${i}`);
    const predicate = compileSegmentRule(rule, context);
    const inSample = ids.filter((profileId) => predicate({ profile: { profileId } }));
    expect(inSample.length / ids.length).toBeCloseTo(0.3, 1);
    expect(ids.filter((profileId) => predicate({ profile: { profileId } }))).toEqual(inSample);
  });
});

describe('evaluation properties', () => {
  const subject: fc.Arbitrary<SegmentSubject> = fc.record({
    profile: profileItem,
    activity: activitySummary,
  });

  it('not is the exact complement; all and any agree with every and some of their children', () => {
    fc.assert(
      fc.property(fc.array(anyRule, { minLength: 1, maxLength: 4 }), subject, (rules, s) => {
        const each = rules.map((r) => evaluateSegmentRule(r, s, context));
        expect(evaluateSegmentRule({ not: rules[0]! }, s, context)).toBe(!each[0]);
        expect(evaluateSegmentRule({ all: rules }, s, context)).toBe(each.every(Boolean));
        expect(evaluateSegmentRule({ any: rules }, s, context)).toBe(each.some(Boolean));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic for a fixed now, and a compiled rule answers as a fresh evaluation', () => {
    fc.assert(
      fc.property(anyRule, fc.array(subject, { minLength: 1, maxLength: 5 }), (rule, subjects) => {
        const compiled = compileSegmentRule(rule, context);
        for (const s of subjects) {
          const first = evaluateSegmentRule(rule, s, { now: new Date(NOW), segments: new Map() });
          expect(compiled(s)).toBe(first);
          expect(compiled(s)).toBe(first);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluation cost', () => {
  it('evaluates 100,000 profiles in well under a second with a compiled rule', () => {
    const rule: SegmentRule = {
      all: [
        { attribute: 'consent.email.status', op: 'eq', value: 'granted' },
        { attribute: 'lastPurchaseAt', op: 'before', value: '-P90D' },
        { attribute: 'country', op: 'in', value: ['GB', 'FR', 'DE'] },
        {
          any: [
            { attribute: 'scores.clv', op: 'gt', value: 100 },
            { attribute: 'tags', op: 'contains', value: 'vip' },
          ],
        },
        { event: 'purchase', op: 'did', within: 'P1Y', count: { gte: 2 } },
        { not: { campaign: 'c-1', op: 'received', within: 'P14D' } },
      ],
    };
    const activity = recordActivity(
      undefined,
      Array.from({ length: 40 }, (_, i) => ({
        type: i % 2 ? 'purchase' : 'message_sent',
        at: ago(i * 9),
        properties: { campaignId: `c-${i % 4}`, items: [{ category: 'books' }] },
      })),
    );
    const subjects = Array.from({ length: 100_000 }, (_, i) => ({
      profile: { ...ann, profileId: `p-${i}`, lastPurchaseAt: ago(i % 400), scores: { clv: i % 300 } },
      activity,
    }));
    const started = performance.now();
    const predicate = compileSegmentRule(rule, context);
    let count = 0;
    for (const s of subjects) if (predicate(s)) count++;
    const ms = performance.now() - started;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(subjects.length);
    expect(ms).toBeLessThan(1000);
  });
});
