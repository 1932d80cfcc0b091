import { describe, expect, it } from 'vitest';
import { delayUntil, MAX_DELAY_SECONDS, runMessageSchema, sendBatchMessageSchema } from './run-messages';

const now = new Date('2026-06-10T08:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('delayUntil', () => {
  it('asks for no delay for a time now or past', () => {
    expect(delayUntil(now, now)).toBe(0);
    expect(delayUntil(later(-1), now)).toBe(0);
    expect(delayUntil(later(-500), now)).toBe(0);
    expect(delayUntil(later(-3_600_000), now)).toBe(0);
  });

  it('rounds up to whole seconds, so a message is never delivered before its time', () => {
    expect(delayUntil(later(1), now)).toBe(1);
    expect(delayUntil(later(1000), now)).toBe(1);
    expect(delayUntil(later(1001), now)).toBe(2);
    expect(delayUntil(later(600_000), now)).toBe(600);
  });

  it('asks for at most SQS’s 15 minutes, however far off the time is', () => {
    expect(MAX_DELAY_SECONDS).toBe(900);
    expect(delayUntil(later(900_000), now)).toBe(900);
    expect(delayUntil(later(900_001), now)).toBe(900);
    expect(delayUntil(later(24 * 3_600_000), now)).toBe(900);
  });
});

describe('runMessageSchema', () => {
  it('reads a Scheduler firing as a scheduled run', () => {
    expect(
      runMessageSchema.parse({ campaignId: 'cmp_spring', scheduledTime: '2026-06-10T08:00:00Z' }),
    ).toEqual({ campaignId: 'cmp_spring', scheduledTime: '2026-06-10T08:00:00Z', trigger: 'schedule' });
  });

  it('reads a manual fire and a continuation, with an offset time', () => {
    const manual = {
      campaignId: 'cmp_spring',
      scheduledTime: '2026-06-10T10:00:00.123+02:00',
      runId: 'run_spring_20260610T080000123Z',
      trigger: 'manual',
      continuation: true,
    };
    expect(runMessageSchema.parse(manual)).toEqual(manual);
  });

  it('refuses a firing without a campaign, without a time zone, or with an unknown trigger', () => {
    const ok = { campaignId: 'cmp_spring', scheduledTime: '2026-06-10T08:00:00Z' };
    for (const bad of [
      { scheduledTime: ok.scheduledTime },
      { ...ok, campaignId: '' },
      { ...ok, campaignId: 'c'.repeat(65) },
      { ...ok, scheduledTime: '2026-06-10T08:00:00' },
      { ...ok, scheduledTime: 'tomorrow' },
      { ...ok, trigger: 'api' },
      { ...ok, runId: '' },
      { ...ok, continuation: 'yes' },
    ])
      expect(runMessageSchema.safeParse(bad).success).toBe(false);
  });
});

describe('sendBatchMessageSchema', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
  const batch = { runId: 'run_spring_20260610T080000Z', campaignId: 'cmp_spring', batch: '0-0' };

  it('reads a batch of up to 500 recipients, and a deferral of some of them for later', () => {
    expect(sendBatchMessageSchema.parse({ ...batch, profileIds: ids(500) }).profileIds).toHaveLength(500);
    const deferral = { ...batch, profileIds: ids(3), only: ['p1'], notBefore: '2026-06-10T09:30:00.000Z' };
    expect(sendBatchMessageSchema.parse(deferral)).toEqual(deferral);
  });

  it('refuses an empty or oversized batch, an empty id, and a notBefore that is not a time', () => {
    for (const bad of [
      { ...batch, profileIds: [] },
      { ...batch, profileIds: ids(501) },
      { ...batch, profileIds: ['p1', ''] },
      { ...batch, profileIds: ['x'.repeat(65)] },
      { ...batch, profileIds: ids(1), only: ids(501) },
      { ...batch, profileIds: ids(1), notBefore: 'in an hour' },
      { ...batch, batch: '', profileIds: ids(1) },
      { campaignId: 'cmp_spring', batch: '0-0', profileIds: ids(1) },
    ])
      expect(sendBatchMessageSchema.safeParse(bad).success).toBe(false);
  });
});
