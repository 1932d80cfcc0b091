import fc from 'fast-check';
import { type ActivityEvent, type ActivitySummary, recordActivity } from './activity-summary';
import type { ProfileItem } from './segment-fields';
import type { SegmentRule, WhereCondition } from './segment-rule';

// fast-check generators of valid rules, profile items and activity, shared by the property tests.

export const NOW = new Date('2026-03-15T12:00:00.000Z');
const DAY = 86_400_000;

const COUNTRIES = ['GB', 'FR', 'DE', 'CN'];
const TIERS = ['gold', 'key', 'quality', 'general'];
const STAGES = ['new', 'active', 'at risk', 'lapsed'];
const TAGS = ['vip', 'newsletter', 'b2b'];
const CATEGORIES = ['books', 'music', 'toys'];
const TYPES = ['purchase', 'visit', 'message_sent'];

/** An ISO instant up to `days` days before NOW. */
export const instantBefore = (days: number) =>
  fc.integer({ min: 0, max: days * DAY }).map((back) => new Date(NOW.getTime() - back).toISOString());

export const attributeLeaf: fc.Arbitrary<SegmentRule> = fc.oneof(
  fc.record({
    attribute: fc.constant('country'),
    op: fc.constantFrom('eq', 'ne'),
    value: fc.constantFrom(...COUNTRIES),
  }),
  fc.record({
    attribute: fc.constant('country'),
    op: fc.constantFrom('in', 'notIn'),
    value: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { minLength: 1 }),
  }),
  fc.record({
    attribute: fc.constantFrom('country', 'email', 'scores.clv'),
    op: fc.constantFrom('exists', 'notExists'),
  }),
  fc.record({
    attribute: fc.constant('email'),
    op: fc.constant('contains'),
    value: fc.constantFrom('@example', 'ANN'),
  }),
  fc.record({ attribute: fc.constant('tags'), op: fc.constant('contains'), value: fc.constantFrom(...TAGS) }),
  fc.record({
    attribute: fc.constant('purchases.totalSpend'),
    op: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq', 'ne'),
    value: fc.integer({ min: 0, max: 500 }),
  }),
  fc.record({
    attribute: fc.constant('scores.clv'),
    op: fc.constantFrom('gt', 'lt'),
    value: fc.integer({ min: 0, max: 500 }),
  }),
  fc.record({
    attribute: fc.constantFrom('lastPurchaseAt', 'createdAt'),
    op: fc.constantFrom('before', 'after', 'gte'),
    value: fc.constantFrom('-P30D', '-P180D', '-PT12H', '2025-06-01', '2026-01-01T00:00:00Z'),
  }),
  fc.record({
    attribute: fc.constant('scores.valueTier'),
    op: fc.constantFrom('eq', 'ne'),
    value: fc.constantFrom(...TIERS),
  }),
  fc.record({
    attribute: fc.constant('scores.lifecycle'),
    op: fc.constantFrom('in', 'notIn'),
    value: fc.uniqueArray(fc.constantFrom(...STAGES), { minLength: 1 }),
  }),
  fc.record({
    attribute: fc.constant('consent.email.status'),
    op: fc.constantFrom('eq', 'ne'),
    value: fc.constantFrom('granted', 'denied', 'unsubscribed'),
  }),
  fc.record({
    attribute: fc.constant('attributes.plan'),
    op: fc.constantFrom('eq', 'ne'),
    value: fc.constantFrom('pro', 'free', 1, true),
  }),
  fc.record({
    attribute: fc.constant('attributes.seats'),
    op: fc.constantFrom('gt', 'lte'),
    value: fc.integer({ min: 0, max: 10 }),
  }),
);

export const eventLeaf: fc.Arbitrary<SegmentRule> = fc
  .record(
    {
      event: fc.constantFrom(...TYPES),
      op: fc.constantFrom('did', 'didNot'),
      within: fc.constantFrom('P1D', 'P7D', 'P30D', 'P6M', 'PT6H'),
      count: fc.oneof(
        fc.record({ gte: fc.integer({ min: 1, max: 4 }) }),
        fc.record({ lte: fc.integer({ min: 1, max: 4 }) }),
        fc.record({ eq: fc.integer({ min: 1, max: 3 }) }),
      ),
      where: fc.constantFrom<WhereCondition[]>(
        [{ property: 'category', op: 'eq', value: 'books' }],
        [{ property: 'channel', op: 'in', value: ['web', 'store'] }],
      ),
    },
    { requiredKeys: ['event', 'op'] },
  )
  .map((r) => {
    // Counts need a window of a day or more.
    if (r.count && r.within === 'PT6H') {
      const { within: _, ...rest } = r;
      return rest as SegmentRule;
    }
    return r as SegmentRule;
  });

export const otherLeaf: fc.Arbitrary<SegmentRule> = fc.oneof(
  fc.record({
    sample: fc.record({ share: fc.constantFrom(0.1, 0.5, 1), seed: fc.constantFrom('s', 'spring') }),
  }),
  fc.record(
    {
      campaign: fc.constantFrom('c-1', 'c-2'),
      op: fc.constantFrom('received', 'notReceived'),
      within: fc.constantFrom('P14D', 'P1D'),
    },
    { requiredKeys: ['campaign', 'op'] },
  ),
);

export const leaf: fc.Arbitrary<SegmentRule> = fc.oneof(
  { weight: 3, arbitrary: attributeLeaf },
  eventLeaf,
  otherLeaf,
);

/** Valid rule trees up to depth 4. */
export const rule: fc.Arbitrary<SegmentRule> = fc
  .letrec<{ node: SegmentRule }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
    ),
  }))
  .node.filter((r) => depthOf(r) <= 6);

const depthOf = (r: SegmentRule): number => {
  const children = 'all' in r ? r.all : 'any' in r ? r.any : 'not' in r ? [r.not] : [];
  return 1 + Math.max(0, ...children.map(depthOf));
};

export const activityEvent: fc.Arbitrary<ActivityEvent> = fc.record(
  {
    type: fc.constantFrom(...TYPES),
    at: instantBefore(500),
    properties: fc.record(
      {
        category: fc.constantFrom(...CATEGORIES),
        channel: fc.constantFrom('web', 'store'),
        campaignId: fc.constantFrom('c-1', 'c-2'),
        items: fc.array(fc.record({ category: fc.constantFrom(...CATEGORIES) }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['type', 'at'] },
);

export const profileItem: fc.Arbitrary<ProfileItem> = fc.record(
  {
    profileId: fc.string({ minLength: 1, maxLength: 12 }),
    country: fc.constantFrom(...COUNTRIES),
    email: fc.constantFrom('ann@example.com', 'bob@test.org'),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS)),
    createdAt: instantBefore(800),
    lastPurchaseAt: instantBefore(400),
    purchases: fc.record({ totalSpend: fc.integer({ min: 0, max: 600 }) }),
    scores: fc.record(
      {
        clv: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constant(null)),
        valueTier: fc.constantFrom(...TIERS),
        lifecycle: fc.constantFrom(...STAGES),
      },
      { requiredKeys: [] },
    ),
    consent: fc.record({
      email: fc.record({
        status: fc.constantFrom('granted', 'denied', 'unsubscribed'),
        source: fc.constant('web'),
        timestamp: instantBefore(100),
      }),
    }),
    attributes: fc.record(
      { plan: fc.constantFrom('pro', 'free', 1, true, null), seats: fc.integer({ min: 0, max: 10 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['profileId'] },
);

export const activitySummary: fc.Arbitrary<ActivitySummary> = fc
  .array(activityEvent, { maxLength: 30 })
  .map((events) => recordActivity(undefined, events));
