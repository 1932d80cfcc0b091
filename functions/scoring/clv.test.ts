import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpectedPurchases } from './bg-nbd.ts';
import { clvSchedule, customerLifetimeValue } from './clv.ts';

const PARAMS = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('CLV', () => {
  it('builds monthly steps with the discount rate per step', () => {
    const s = clvSchedule({ horizonMonths: 12, annualDiscountRate: 0.1 }, 7);
    expect(s.times.length).toBe(12);
    expect(s.times[11]).toBeCloseTo(365.25 / 7, 10);
    expect(s.discounts[11]).toBeCloseTo(1 / 1.1, 12);
    const quarterly = clvSchedule({ horizonMonths: 12, stepMonths: 3 }, 1);
    expect(quarterly.times.length).toBe(4);
    expect(quarterly.discounts[0]).toBeCloseTo(1.1 ** -0.25, 12);
    expect(() => clvSchedule({ horizonMonths: 0 }, 1)).toThrow();
  });

  it('equals the discounted sum of expected purchases per month times spend', () => {
    const customer = { x: 3, tx: 20, T: 35 };
    const schedule = clvSchedule({ horizonMonths: 24, annualDiscountRate: 0.12, margin: 0.3 }, 7);
    let expected = 0;
    let previous = 0;
    const monthly = 1.12 ** (1 / 12) - 1;
    for (let m = 1; m <= 24; m++) {
      const e = bgNbdConditionalExpectedPurchases(
        PARAMS,
        customer.x,
        customer.tx,
        customer.T,
        (m * 365.25) / 12 / 7,
      );
      expected += ((e - previous) * 40 * 0.3) / (1 + monthly) ** m;
      previous = e;
    }
    expect(customerLifetimeValue(PARAMS, customer, 40, schedule)).toBeCloseTo(expected, 10);
    // Without discounting, it is the expected purchases over the horizon times spend.
    const flat = clvSchedule({ horizonMonths: 24, annualDiscountRate: 0 }, 7);
    expect(customerLifetimeValue(PARAMS, customer, 40, flat)).toBeCloseTo(40 * previous, 10);
    expect(customerLifetimeValue(PARAMS, customer, 40, schedule)).toBeLessThan(40 * previous * 0.3);
  });
});
