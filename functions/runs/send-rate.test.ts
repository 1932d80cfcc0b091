import { setImmediate as immediate } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageChannel } from '../campaigns/recipient-decision';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { type Grant, type SendRate, TokenPool } from './send-rate';

/** A clock the test moves, and a SendRate that grants what the test says, recording each ask. */
const setup = (grant: (ask: { wanted: number; second: number; call: number }) => Grant | Promise<Grant>) => {
  const clock = { ms: 100_000 };
  const second = () => Math.floor(clock.ms / 1000);
  const asks: { channel: MessageChannel; wanted: number; second: number }[] = [];
  const rate: SendRate = {
    acquire: async (channel, wanted) => {
      asks.push({ channel, wanted, second: second() });
      return grant({ wanted, second: second(), call: asks.length });
    },
  };
  const pool = (wanted: () => number = () => 10) => new TokenPool(rate, 'email', wanted, () => clock.ms);
  return { clock, second, asks, pool };
};

describe('TokenPool', () => {
  it('hands out the tokens of the current second one by one, and asks again once they are spent', async () => {
    const { asks, pool, second } = setup(() => ({ window: 100, granted: 3 }));
    const email = pool();
    for (let i = 0; i < 3; i++) await email.take();
    expect(asks).toHaveLength(1);
    expect(asks[0]).toMatchObject({ channel: 'email', second: 100 });
    await email.take();
    expect(asks).toHaveLength(2);
    expect(second()).toBe(100);
  });

  it('drops the tokens left from an earlier second and asks for the new second’s', async () => {
    const { asks, pool, clock } = setup(({ second }) => ({ window: second, granted: 5 }));
    const email = pool();
    await email.take();
    clock.ms = 101_000; // four tokens of second 100 left
    await email.take();
    expect(asks.map((a) => a.second)).toEqual([100, 101]);
    clock.ms = 101_999;
    for (let i = 0; i < 4; i++) await email.take();
    expect(asks).toHaveLength(2);
  });

  it('does not use a grant that arrives after its second has passed', async () => {
    const { asks, pool, clock } = setup(({ second, call }) => {
      if (call === 1) clock.ms += 1200; // the first ask took 1.2 s: its grant is for a second that is over
      return { window: second, granted: 5 };
    });
    clock.ms = 100_500;
    await pool().take();
    expect(asks.map((a) => a.second)).toEqual([100, 101]);
  });

  it('asks for as many tokens as wanted() says at each refill, and never for fewer than one', async () => {
    let left = 7;
    const { asks, pool } = setup(() => ({ window: 100, granted: 2 }));
    const email = pool(() => left);
    await email.take();
    left = 0; // wanted() may lag behind the sends still to make
    await email.take();
    await email.take();
    expect(asks.map((a) => a.wanted)).toEqual([7, 1]);
  });

  it('shares one refill among take() calls that wait at the same time', async () => {
    let release!: (grant: Grant) => void;
    const { asks, pool } = setup(() => new Promise<Grant>((resolve) => (release = resolve)));
    const email = pool();
    const waiting = Array.from({ length: 5 }, () => email.take());
    await immediate();
    expect(asks).toHaveLength(1);
    release({ window: 100, granted: 5 });
    await Promise.all(waiting);
    expect(asks).toHaveLength(1);
  });

  it('refills once per chunk when more wait than one grant covers', async () => {
    const { asks, pool } = setup(() => ({ window: 100, granted: 2 }));
    const email = pool();
    await Promise.all(Array.from({ length: 5 }, () => email.take()));
    expect(asks).toHaveLength(3); // 2 + 2 + 1
  });

  it('never hands out more tokens in a second than were granted for it, however the clock moves', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ granted: fc.integer({ min: 1, max: 6 }), delayMs: fc.nat(1500) }), {
          maxLength: 30,
        }),
        fc.array(fc.nat(700), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (grants, gaps, concurrency) => {
          const granted = new Map<number, number>();
          const { pool, clock, second } = setup(async ({ call }) => {
            const window = second();
            const { granted: n, delayMs } = grants[call - 1] ?? { granted: 1, delayMs: 0 };
            // Clock changes happen in their own macrotask, so a take and its record below see one second.
            await immediate();
            clock.ms += delayMs;
            granted.set(window, (granted.get(window) ?? 0) + n);
            return { window, granted: n };
          });
          const email = pool(() => 4);
          const taken = new Map<number, number>();
          await mapWithConcurrency(gaps, concurrency, async (gap) => {
            await email.take();
            taken.set(second(), (taken.get(second()) ?? 0) + 1);
            await immediate();
            clock.ms += gap;
          });
          expect([...taken.values()].reduce((a, b) => a + b, 0)).toBe(gaps.length);
          for (const [window, n] of taken) expect(n).toBeLessThanOrEqual(granted.get(window) ?? 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
