import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localMinutesOf } from './clock-time';
import { localSendTime } from './local-send-time';

const send = (localTime: string, zone: string, runStart: string) =>
  localSendTime(localTime, zone, new Date(runStart)).toISOString();

describe('localSendTime', () => {
  // Wednesday 2026-11-25 10:00 UTC (10:00 GMT in London).
  const run = '2026-11-25T10:00:00Z';

  it('sends at 10:00 on each recipient’s own clock, on the run’s day where it is still ahead', () => {
    expect(send('10:00', 'Europe/London', run)).toBe('2026-11-25T10:00:00.000Z');
    expect(send('10:00', 'America/Los_Angeles', run)).toBe('2026-11-25T18:00:00.000Z');
    expect(send('10:30', 'Asia/Kolkata', '2026-11-25T04:00:00Z')).toBe('2026-11-25T05:00:00.000Z');
  });

  it('sends the next day where the time has already passed when the run starts', () => {
    expect(send('09:59', 'Europe/London', run)).toBe('2026-11-26T09:59:00.000Z');
    // 19:00 in Tokyo when the run starts: Thursday 10:00 JST.
    expect(send('10:00', 'Asia/Tokyo', run)).toBe('2026-11-26T01:00:00.000Z');
  });

  it('follows the clock change: 10:00 BST on the last Sunday of March is 09:00 UTC', () => {
    expect(send('10:00', 'Europe/London', '2026-03-29T00:00:00Z')).toBe('2026-03-29T09:00:00.000Z');
    expect(send('10:00', 'Europe/London', '2026-10-25T00:00:00Z')).toBe('2026-10-25T10:00:00.000Z');
  });

  it('sends a time the clock skips when it jumps past it, and a time shown twice at its first showing', () => {
    // New York 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(send('02:30', 'America/New_York', '2026-03-08T05:00:00Z')).toBe('2026-03-08T07:00:00.000Z');
    // The next day 02:30 exists again.
    expect(send('02:30', 'America/New_York', '2026-03-08T08:00:00Z')).toBe('2026-03-09T06:30:00.000Z');
    // London 2026-10-25: 01:30 shows at 00:30 UTC and again at 01:30 UTC.
    expect(send('01:30', 'Europe/London', '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('always sends within 25 hours of the run, at the asked time or the jump past it (any zone)', () => {
    const zones = [
      'UTC',
      'Europe/London',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Kiritimati',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        (start, zone, minutes) => {
          const localTime = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
          const at = localSendTime(localTime, zone, new Date(start)).getTime();
          expect(at).toBeGreaterThanOrEqual(start);
          expect(at - start).toBeLessThan(25 * 3600_000);
          const shown = localMinutesOf(at, zone);
          if (shown !== minutes) {
            // Only where the clock jumped over the asked minute.
            expect(localMinutesOf(at - 60_000, zone)).toBeLessThan(minutes);
            expect(shown).toBeGreaterThan(minutes);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
