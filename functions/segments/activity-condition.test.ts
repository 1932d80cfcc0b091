import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerActivityCondition, countActivity } from './activity-condition';
import { type ActivityEvent, activityKeysOf, propertyKey, recordActivity } from './activity-summary';
import { parseDuration, shiftInstant } from './duration';
import { activityEvent, NOW } from './segment-arbitraries.test-helpers';
import type { EventRule } from './segment-rule';

const DAY = 86_400_000;
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY - ms).toISOString();
const visit = (at: string): ActivityEvent => ({ type: 'visit', at });
const answer = (events: readonly ActivityEvent[], rule: EventRule) =>
  answerActivityCondition(recordActivity(undefined, events), rule, NOW);

/** What the raw events say, counted one by one. */
const fromRawEvents = (events: readonly ActivityEvent[], rule: EventRule): boolean => {
  const where = rule.where?.[0];
  const wanted = where
    ? (typeof where.value === 'string' ? [where.value] : where.value).map((v) =>
        propertyKey(rule.event, where.property, v),
      )
    : [rule.event];
  const duration = rule.within ? parseDuration(rule.within)! : undefined;
  const since = duration ? shiftInstant(NOW.getTime(), duration, -1) : Number.NEGATIVE_INFINITY;
  const underADay = duration ? NOW.getTime() - since < DAY : false;
  const inWindow = (ms: number) =>
    underADay ? ms >= since : Math.floor(ms / DAY) >= Math.floor(since / DAY);
  const n = events.filter(
    (e) => inWindow(Date.parse(e.at)) && activityKeysOf(e).some((k) => wanted.includes(k)),
  ).length;
  const [op, bound] = (Object.entries(rule.count ?? { gte: 1 })[0] ?? ['gte', 1]) as [string, number];
  const holds =
    n >= 1 &&
    (op === 'gte'
      ? n >= bound
      : op === 'gt'
        ? n > bound
        : op === 'lte'
          ? n <= bound
          : op === 'lt'
            ? n < bound
            : n === bound);
  return rule.op === 'did' ? holds : !holds;
};

describe('event conditions', () => {
  it('counts whole UTC days: within P30D reaches back to the start of the day 30 days ago', () => {
    const startOfThatDay = new Date(Math.floor((NOW.getTime() - 30 * DAY) / DAY) * DAY);
    const justIn = startOfThatDay.toISOString();
    const justOut = new Date(startOfThatDay.getTime() - 1).toISOString();
    expect(answer([visit(justIn)], { event: 'visit', op: 'did', within: 'P30D' })).toBe(true);
    expect(answer([visit(justOut)], { event: 'visit', op: 'did', within: 'P30D' })).toBe(false);
    expect(
      answer([visit(justIn), visit(ago(1))], { event: 'visit', op: 'did', within: 'P30D', count: { eq: 2 } }),
    ).toBe(true);
  });

  it('answers windows under a day exactly from the last time', () => {
    expect(answer([visit(ago(0, 11 * 3600_000))], { event: 'visit', op: 'did', within: 'PT12H' })).toBe(true);
    expect(answer([visit(ago(0, 13 * 3600_000))], { event: 'visit', op: 'did', within: 'PT12H' })).toBe(
      false,
    );
  });

  it('reads did as at least once, and didNot as its exact complement', () => {
    const twice = [visit(ago(1)), visit(ago(2))];
    expect(answer(twice, { event: 'visit', op: 'did', count: { lt: 3 } })).toBe(true);
    expect(answer([], { event: 'visit', op: 'did', count: { lt: 3 } })).toBe(false);
    expect(answer([], { event: 'visit', op: 'didNot', count: { gte: 3 } })).toBe(true);
    expect(answer(twice, { event: 'visit', op: 'didNot', within: 'P7D' })).toBe(false);
    expect(answerActivityCondition(undefined, { event: 'visit', op: 'didNot' }, NOW)).toBe(true);
    expect(answerActivityCondition(undefined, { event: 'visit', op: 'did' }, NOW)).toBe(false);
  });

  it('filters on a summarised property', () => {
    const events: ActivityEvent[] = [
      { type: 'purchase', at: ago(3), properties: { items: [{ category: 'books' }, { category: 'music' }] } },
      { type: 'purchase', at: ago(40), properties: { items: [{ category: 'books' }] } },
      { type: 'purchase', at: ago(5), properties: { channel: 'store', items: [{ category: 'toys' }] } },
    ];
    const books = [{ property: 'category', op: 'eq', value: 'books' }] as const;
    expect(answer(events, { event: 'purchase', op: 'did', where: books, count: { eq: 2 } })).toBe(true);
    expect(
      answer(events, { event: 'purchase', op: 'did', where: books, within: 'P30D', count: { eq: 1 } }),
    ).toBe(true);
    expect(
      answer(events, {
        event: 'purchase',
        op: 'did',
        where: [{ property: 'channel', op: 'in', value: ['web', 'store'] }],
      }),
    ).toBe(true);
    expect(
      answer(events, {
        event: 'purchase',
        op: 'did',
        where: [{ property: 'category', op: 'eq', value: 'food' }],
      }),
    ).toBe(false);
  });

  it('agrees with counting the raw events, for every window inside the kept days', () => {
    const rule = fc.record(
      {
        event: fc.constantFrom('purchase', 'visit', 'message_sent'),
        op: fc.constantFrom('did', 'didNot'),
        within: fc.constantFrom('P1D', 'P7D', 'P30D', 'P6M', 'P1Y', 'P399D', 'PT6H', 'PT30M'),
        count: fc.oneof(
          fc.record({ gte: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ lte: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ gt: fc.integer({ min: 0, max: 5 }) }),
          fc.record({ lt: fc.integer({ min: 2, max: 5 }) }),
          fc.record({ eq: fc.integer({ min: 1, max: 5 }) }),
        ),
        where: fc.oneof(
          fc
            .constantFrom('books', 'music', 'toys')
            .map((value) => [{ property: 'category', op: 'eq' as const, value }]),
          fc
            .constantFrom('c-1', 'c-2')
            .map((value) => [{ property: 'campaignId', op: 'eq' as const, value }]),
          fc.constant([{ property: 'channel', op: 'in' as const, value: ['web', 'store'] }]),
        ),
      },
      { requiredKeys: ['event', 'op'] },
    );
    fc.assert(
      fc.property(fc.array(activityEvent, { maxLength: 80 }), rule, (events, r) => {
        const valid: EventRule = r.count && r.within?.startsWith('PT') ? { ...r, within: 'P1D' } : r;
        expect(answer(events, valid)).toBe(fromRawEvents(events, valid));
      }),
      { numRuns: 500 },
    );
  });

  it('counts all time from the total, folded days included', () => {
    const events = [visit(ago(0)), visit(ago(500)), visit(ago(600))];
    const summary = recordActivity(undefined, events);
    expect(summary.keys.visit!.earlier).toBe(2);
    expect(countActivity(summary, 'visit')).toBe(3);
    expect(answerActivityCondition(summary, { event: 'visit', op: 'did', count: { gte: 3 } }, NOW)).toBe(
      true,
    );
  });
});
