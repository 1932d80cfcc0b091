// Customer lifetime value by discounted cash flow over a finite horizon (Fader, Hardie and Lee
// 2005, "RFM and CLV", section on DERT; here the discrete monthly version commonly used):
//   CLV = margin * E[spend] * sum_{m=1..M} (E[Y(t_m)] - E[Y(t_{m-1})]) / (1 + d)^m,
// with E[Y(t)] the BG/NBD conditional expectation for the next t time units, t_m = m step lengths,
// d the discount rate per step derived from the annual rate: d = (1 + annual)^(step months / 12) - 1.
// Since E[Y(t) | x, t_x, T] = P(alive) * E[Y(t) | alive, x, T], the sum is computed once per
// (x, T) for the "if alive" part and scaled by P(alive).

import { type BgNbdParams, bgNbdExpectedPurchasesIfAlive, bgNbdPAlive } from './bg-nbd.ts';

export interface ClvOptions {
  /** Horizon in months (default 36). */
  horizonMonths?: number;
  /** Step length in months (default 1). */
  stepMonths?: number;
  /** Annual discount rate (default 0.10). */
  annualDiscountRate?: number;
  /** Contribution margin applied to spend (default 1: revenue CLV). */
  margin?: number;
}

export interface ClvSchedule {
  /** End of each step in model time units. */
  times: Float64Array;
  /** Discount factor 1 / (1 + d)^m of each step. */
  discounts: Float64Array;
  margin: number;
}

const DAYS_PER_MONTH = 365.25 / 12;

export function clvSchedule(options: ClvOptions, unitDays: number): ClvSchedule {
  const horizon = options.horizonMonths ?? 36;
  const step = options.stepMonths ?? 1;
  const annual = options.annualDiscountRate ?? 0.1;
  if (!(horizon > 0 && step > 0 && annual > -1)) throw new Error('invalid CLV options');
  const steps = Math.ceil(horizon / step - 1e-9);
  const perStep = (1 + annual) ** (step / 12) - 1;
  const times = new Float64Array(steps);
  const discounts = new Float64Array(steps);
  for (let m = 1; m <= steps; m++) {
    times[m - 1] = (Math.min(m * step, horizon) * DAYS_PER_MONTH) / unitDays;
    discounts[m - 1] = (1 + perStep) ** -m;
  }
  return { times, discounts, margin: options.margin ?? 1 };
}

/** sum_m (E[Y(t_m) | alive] - E[Y(t_{m-1}) | alive]) / (1 + d)^m for one (x, T). */
export function discountedPurchasesIfAlive(
  params: BgNbdParams,
  x: number,
  T: number,
  schedule: ClvSchedule,
): number {
  let previous = 0;
  let total = 0;
  for (let m = 0; m < schedule.times.length; m++) {
    const e = bgNbdExpectedPurchasesIfAlive(params, x, T, schedule.times[m]!);
    total += (e - previous) * schedule.discounts[m]!;
    previous = e;
  }
  return total;
}

/** CLV of one customer: margin * expectedSpend * P(alive) * discounted expected purchases if alive. */
export function customerLifetimeValue(
  params: BgNbdParams,
  customer: { x: number; tx: number; T: number },
  expectedSpend: number,
  schedule: ClvSchedule,
): number {
  const alive = bgNbdPAlive(params, customer.x, customer.tx, customer.T);
  return (
    schedule.margin *
    expectedSpend *
    alive *
    discountedPurchasesIfAlive(params, customer.x, customer.T, schedule)
  );
}
