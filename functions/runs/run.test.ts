import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_ID_PATTERN } from '../campaigns/campaign';
import { RUN_ID_PATTERN, runIdOf } from './run';

describe('runIdOf', () => {
  it('names a run by its campaign, without the cmp_ prefix, and its scheduled time in compact UTC', () => {
    expect(runIdOf('cmp_spring', '2026-06-10T08:00:00Z')).toBe('run_spring_20260610T080000Z');
    expect(runIdOf('cmp_Spring25', '2026-12-31T23:59:59.000Z')).toBe('run_Spring25_20261231T235959Z');
  });

  it('adds the milliseconds only when there are some, as for a manual fire', () => {
    expect(runIdOf('cmp_spring', '2026-06-10T08:00:00.120Z')).toBe('run_spring_20260610T080000120Z');
    expect(runIdOf('cmp_spring', '2026-06-10T08:00:00.001Z')).toBe('run_spring_20260610T080000001Z');
  });

  it('gives a redelivered firing the same run, whatever offset its time is written in', () => {
    expect(runIdOf('cmp_spring', '2026-06-10T10:00:00+02:00')).toBe(
      runIdOf('cmp_spring', '2026-06-10T08:00:00.000Z'),
    );
  });

  const campaignIds = fc.stringMatching(CAMPAIGN_ID_PATTERN);
  const times = fc.date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });

  it('makes only ids RUN_ID_PATTERN accepts, for every campaign id and time', () => {
    fc.assert(
      fc.property(campaignIds, times, (campaignId, time) => {
        expect(runIdOf(campaignId, time.toISOString())).toMatch(RUN_ID_PATTERN);
      }),
    );
  });

  it('gives two different instants of one campaign two different runs', () => {
    fc.assert(
      fc.property(campaignIds, times, times, (campaignId, a, b) => {
        const same = runIdOf(campaignId, a.toISOString()) === runIdOf(campaignId, b.toISOString());
        expect(same).toBe(a.getTime() === b.getTime());
      }),
    );
  });
});

describe('RUN_ID_PATTERN', () => {
  it('refuses what is not a campaign run id', () => {
    for (const id of [
      'spring_20260610T080000Z', // no run_ prefix
      'run_cmp_spring_20260610T080000Z', // the prefix kept
      'run_spring_2026-06-10T08:00:00Z',
      'run_spring_20260610T080000', // no Z
      'run_spring_20260610T0800Z',
      'run__20260610T080000Z',
      `run_${'a'.repeat(41)}_20260610T080000Z`,
      '20260610T080000123Z-abc', // a scoring run's id
    ])
      expect(id).not.toMatch(RUN_ID_PATTERN);
  });
});
