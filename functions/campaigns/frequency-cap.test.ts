import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateOf } from './clock-time';
import {
  type ContactLog,
  DEFAULT_FREQUENCY_CAPS,
  EMPTY_CONTACT_LOG,
  effectiveCaps,
  frequencyDecision,
  readContactLog,
  recordContact,
} from './frequency-cap';

const t = (iso: string) => new Date(iso);
const sent = (log: ContactLog, iso: string, channel: 'email' | 'sms' = 'email', campaignId = 'cmp_a') =>
  recordContact(log, { channel, at: t(iso), campaignId, kind: 'marketing' });
const decide = (log: ContactLog, iso: string, zone = 'Europe/London', channel: 'email' | 'sms' = 'email') =>
  frequencyDecision(log, channel, t(iso), DEFAULT_FREQUENCY_CAPS, zone);

describe('frequencyDecision, default caps (1 a day, 3 in 7 days)', () => {
  it('allows a first message and caps a second on the same day', () => {
    expect(decide(EMPTY_CONTACT_LOG, '2026-06-10T08:00:00Z')).toEqual({ allowed: true });
    const log = sent(EMPTY_CONTACT_LOG, '2026-06-10T08:00:00Z');
    expect(decide(log, '2026-06-10T20:00:00Z')).toEqual({ skip: 'frequency_capped', cap: 'perDay' });
  });

  it('counts the day on the recipient’s clock: after their midnight a new day starts', () => {
    // 23:00 BST on the 10th, then 00:01 BST on the 11th: one hour apart, two days in London.
    const log = sent(EMPTY_CONTACT_LOG, '2026-06-10T22:00:00Z');
    expect(decide(log, '2026-06-10T23:01:00Z', 'Europe/London')).toEqual({ allowed: true });
    // In New York both instants are on the 10th (18:00 and 19:01 EDT).
    expect(decide(log, '2026-06-10T23:01:00Z', 'America/New_York')).toEqual({
      skip: 'frequency_capped',
      cap: 'perDay',
    });
  });

  it('caps a fourth message in any 7 rolling days, and allows it once the first is 7 days old', () => {
    let log = sent(EMPTY_CONTACT_LOG, '2026-06-01T10:00:00Z');
    log = sent(log, '2026-06-03T10:00:00Z');
    log = sent(log, '2026-06-05T10:00:00Z');
    expect(decide(log, '2026-06-08T09:59:59Z')).toEqual({ skip: 'frequency_capped', cap: 'perWeek' });
    expect(decide(log, '2026-06-08T10:00:00Z')).toEqual({ allowed: true });
  });

  it('names the week cap when both are reached, and counts each channel on its own', () => {
    let log = sent(EMPTY_CONTACT_LOG, '2026-06-08T07:00:00Z');
    log = sent(log, '2026-06-09T07:00:00Z');
    log = sent(log, '2026-06-10T07:00:00Z');
    expect(decide(log, '2026-06-10T12:00:00Z')).toEqual({ skip: 'frequency_capped', cap: 'perWeek' });
    expect(decide(log, '2026-06-10T12:00:00Z', 'Europe/London', 'sms')).toEqual({ allowed: true });
  });

  it('caps nothing without caps', () => {
    const log = sent(sent(EMPTY_CONTACT_LOG, '2026-06-10T07:00:00Z'), '2026-06-10T08:00:00Z');
    expect(frequencyDecision(log, 'email', t('2026-06-10T09:00:00Z'), {}, 'UTC')).toEqual({ allowed: true });
  });
});

describe('effectiveCaps', () => {
  it('takes the stricter of the global and the campaign cap, each on its own', () => {
    expect(effectiveCaps({ perDay: 1, perWeek: 3 }, { perWeek: 2 })).toEqual({ perDay: 1, perWeek: 2 });
    expect(effectiveCaps({ perDay: 1, perWeek: 3 }, { perDay: 5, perWeek: 10 })).toEqual({
      perDay: 1,
      perWeek: 3,
    });
    expect(effectiveCaps({ perWeek: 3 }, { perDay: 2 })).toEqual({ perDay: 2, perWeek: 3 });
    expect(effectiveCaps({})).toEqual({});
  });
});

describe('recordContact', () => {
  it('adds the send, one version higher, and leaves the other channel alone', () => {
    const log = sent(EMPTY_CONTACT_LOG, '2026-06-10T07:00:00Z', 'sms', 'cmp_b');
    expect(log).toEqual({
      version: 1,
      email: [],
      sms: [{ at: Date.parse('2026-06-10T07:00:00Z'), campaignId: 'cmp_b' }],
    });
    expect(sent(log, '2026-06-11T07:00:00Z').version).toBe(2);
  });

  it('keeps at most 20 sends per channel, none older than 30 days, oldest first', () => {
    let log = EMPTY_CONTACT_LOG;
    for (let day = 1; day <= 30; day++) log = sent(log, `2026-06-${String(day).padStart(2, '0')}T10:00:00Z`);
    expect(log.email).toHaveLength(20);
    expect(log.email[0]!.at).toBe(Date.parse('2026-06-11T10:00:00Z'));
    const later = sent(log, '2026-07-20T10:00:00Z');
    // 30 days before 2026-07-20T10:00Z is 2026-06-20T10:00Z.
    expect(later.email.map((e) => new Date(e.at).toISOString().slice(0, 10))).toEqual([
      '2026-06-20',
      '2026-06-21',
      '2026-06-22',
      '2026-06-23',
      '2026-06-24',
      '2026-06-25',
      '2026-06-26',
      '2026-06-27',
      '2026-06-28',
      '2026-06-29',
      '2026-06-30',
      '2026-07-20',
    ]);
    // A send recorded late (a retried claim) still lands in order.
    const outOfOrder = sent(sent(EMPTY_CONTACT_LOG, '2026-06-10T12:00:00Z'), '2026-06-10T11:00:00Z');
    expect(outOfOrder.email.map((e) => e.at)).toEqual([
      Date.parse('2026-06-10T11:00:00Z'),
      Date.parse('2026-06-10T12:00:00Z'),
    ]);
  });

  it('does not count a transactional send (the same log comes back: nothing to write)', () => {
    const log = sent(EMPTY_CONTACT_LOG, '2026-06-10T07:00:00Z');
    expect(
      recordContact(log, {
        channel: 'email',
        at: t('2026-06-10T08:00:00Z'),
        campaignId: 'cmp_t',
        kind: 'transactional',
      }),
    ).toBe(log);
  });

  it('round-trips through JSON, and reads a missing or damaged stored log as empty', () => {
    const log = sent(sent(EMPTY_CONTACT_LOG, '2026-06-10T07:00:00Z'), '2026-06-11T07:00:00Z', 'sms');
    expect(readContactLog(JSON.parse(JSON.stringify(log)))).toEqual(log);
    expect(readContactLog(undefined)).toEqual(EMPTY_CONTACT_LOG);
    expect(readContactLog('garbage')).toEqual(EMPTY_CONTACT_LOG);
    expect(readContactLog({ version: 3, email: 'x' })).toEqual({ version: 3, email: [], sms: [] });
  });
});

describe('a sender that asks before every send', () => {
  it('never exceeds either cap, in any 7 rolling days or any day on the recipient’s clock', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * 24 * 60 }), { maxLength: 80 }),
        fc.constantFrom('Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe'),
        fc.record({ perDay: fc.integer({ min: 1, max: 3 }), perWeek: fc.integer({ min: 1, max: 6 }) }),
        (minutes, zone, caps) => {
          const start = Date.UTC(2026, 2, 1);
          const attempts = [...minutes].sort((a, b) => a - b).map((m) => start + m * 60_000);
          let log = EMPTY_CONTACT_LOG;
          const sends: number[] = [];
          for (const at of attempts) {
            if ('allowed' in frequencyDecision(log, 'sms', new Date(at), caps, zone)) {
              sends.push(at);
              log = recordContact(log, {
                channel: 'sms',
                at: new Date(at),
                campaignId: 'c',
                kind: 'marketing',
              });
            }
          }
          const day = (at: number) => JSON.stringify(localDateOf(at, zone));
          for (const s of sends) {
            expect(sends.filter((o) => o > s - 7 * 86_400_000 && o <= s).length).toBeLessThanOrEqual(
              caps.perWeek,
            );
            expect(sends.filter((o) => day(o) === day(s)).length).toBeLessThanOrEqual(caps.perDay);
          }
          expect(log.version).toBe(sends.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
