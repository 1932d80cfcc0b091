import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpectedPurchases } from './bg-nbd.ts';
import { parseCdnow } from './parse-cdnow.ts';
import { prepareTransactions, type RawTransaction } from './prepare-transactions.ts';
import { NONE, scoreCustomers, scoredCustomer } from './score-customers.ts';

const FIXTURE = new URL('../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url);
const tx = (customerId: string, timestamp: string, amount: number): RawTransaction => ({
  customerId,
  timestamp,
  amount,
});
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('scoreCustomers on CDNOW', () => {
  const summaries = prepareTransactions(parseCdnow(readFileSync(FIXTURE, 'utf8')), {
    cutoff: '1997-09-30',
    timeUnit: 'week',
  });
  const result = scoreCustomers(summaries, { nextPeriods: 39 });

  it('fits, scores every customer and counts consistently', () => {
    expect(result.bgNbd.ok && result.gammaGamma.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    const agg = result.aggregates;
    expect(agg.customers).toBe(2357);
    expect(agg.prospects).toBe(0);
    for (const counts of [agg.segments, agg.valueTiers, agg.churnBands, agg.cells, agg.lifecycle]) {
      expect(sum(counts)).toBe(2357);
    }
    expect(agg.valueTiers['gold']).toBeGreaterThanOrEqual(23);
    expect(agg.valueTiers['gold']).toBeLessThanOrEqual(30);
    // Total expected purchases in the next 39 weeks = the holdout prediction of the paper check.
    expect(agg.totalExpectedPurchases).toBeCloseTo(1653.4, 0);
  });

  it('per-customer values agree with the model functions', () => {
    if (!result.bgNbd.ok) throw new Error('no fit');
    const params = result.bgNbd.params;
    for (const i of [0, 1, 2, 500, 2356]) {
      const c = scoredCustomer(result, i);
      const e = bgNbdConditionalExpectedPurchases(
        params,
        summaries.x[i]!,
        summaries.tx[i]!,
        summaries.T[i]!,
        39,
      );
      expect(c.expectedPurchases).toBeCloseTo(e, 10);
      expect(c.pAlive).toBeGreaterThan(0);
      expect(c.clv).toBeGreaterThan(0);
      expect(c.segment).not.toBeNull();
      expect(c.action).not.toBeNull();
    }
    // The first customer of the file: bought on 1997-01-01, repeat buyer.
    const first = scoredCustomer(result, 0);
    expect(first.customerId).toBe('00004');
    expect(first.rfm).toEqual({ recency: 5, frequency: 5, monetary: 4 });
    expect(first.segment).toBe('Champions');
    // CLV ranks: higher tiers have higher CLV.
    const c = result.customers;
    let minGold = Number.POSITIVE_INFINITY;
    let maxEliminated = 0;
    for (let i = 0; i < c.size; i++) {
      if (c.valueTier[i] === 0) minGold = Math.min(minGold, c.clv[i]!);
      if (c.valueTier[i] === 5) maxEliminated = Math.max(maxEliminated, c.clv[i]!);
    }
    expect(minGold).toBeGreaterThan(maxEliminated);
  });
});

describe('scoreCustomers edge cases', () => {
  it('no purchases at all: only prospects, nothing fitted, no crash', () => {
    const s = prepareTransactions([], { cutoff: '2024-06-30', customerIds: ['p1', 'p2'] });
    const r = scoreCustomers(s);
    expect(r.bgNbd.ok).toBe(false);
    expect(r.gammaGamma.ok).toBe(false);
    expect(r.aggregates.prospects).toBe(2);
    expect(r.aggregates.lifecycle['prospect']).toBe(2);
    const p = scoredCustomer(r, 0);
    expect(p).toMatchObject({
      segment: null,
      pAlive: null,
      clv: null,
      valueTier: null,
      cell: null,
      lifecycle: 'prospect',
    });
    expect(scoreCustomers(prepareTransactions([], { cutoff: '2024-06-30' })).aggregates.customers).toBe(0);
  });

  it('one customer', () => {
    const s = prepareTransactions([tx('a', '2024-01-01', 10), tx('a', '2024-02-01', 30)], {
      cutoff: '2024-06-30',
    });
    const r = scoreCustomers(s);
    expect(r.bgNbd.ok).toBe(true);
    expect(r.gammaGamma.ok).toBe(false);
    expect(r.spendFallback).toBe(20);
    const c = scoredCustomer(r, 0);
    expect(c.rfm).toEqual({ recency: 3, frequency: 3, monetary: 3 });
    expect(c.segment).toBe('Need Attention');
    expect(c.valueTier).toBe('gold');
    expect(c.expectedSpend).toBe(20);
    expect(Number.isFinite(c.clv!)).toBe(true);
  });

  it('everyone with one purchase: Gamma-Gamma impossible, falls back to the mean spend', () => {
    const rows = Array.from({ length: 50 }, (_, i) =>
      tx(`c${i}`, `2024-0${1 + (i % 5)}-${String(1 + (i % 28)).padStart(2, '0')}`, 10 + i),
    );
    const r = scoreCustomers(prepareTransactions(rows, { cutoff: '2024-06-30' }));
    expect(r.gammaGamma.ok).toBe(false);
    if (!r.gammaGamma.ok) expect(r.gammaGamma.reason).toMatch(/no customer with a repeat purchase/);
    expect(r.spendFallback).toBeCloseTo(34.5, 10);
    expect(r.warnings.join('\n')).toMatch(/Gamma-Gamma not fitted/);
    expect(r.warnings.join('\n')).toMatch(/no repeat purchases/);
    for (let i = 0; i < 50; i++) {
      expect(r.customers.pAlive[i]).toBe(1);
      expect(r.customers.expectedPurchases[i]).toBeLessThan(1e-3);
    }
  });

  it('all purchases on one day (the cut-off): no BG/NBD fit, tiers by spend', () => {
    const rows = [tx('a', '2024-06-30', 10), tx('b', '2024-06-30', 50), tx('b', '2024-06-30', 5)];
    const r = scoreCustomers(prepareTransactions(rows, { cutoff: '2024-06-30' }));
    expect(r.bgNbd.ok).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/tiers by total spend/);
    expect(scoredCustomer(r, 1).valueTier).toBe('gold');
    expect(scoredCustomer(r, 0).pAlive).toBeNull();
    expect(scoredCustomer(r, 0).lifecycle).toBe('new');
    expect(r.customers.churnBand[0]).toBe(NONE);
  });

  it('refunds to zero and extreme spend values', () => {
    const rows: RawTransaction[] = [];
    for (let i = 0; i < 40; i++) {
      rows.push(tx(`c${i}`, '2024-01-02', 20));
      rows.push(tx(`c${i}`, '2024-02-02', i === 0 ? 1e9 : 10 + i));
      rows.push(tx(`c${i}`, '2024-03-02', i === 0 ? 1e9 : 15 + i));
    }
    rows.push(
      tx('r', '2024-01-05', 30),
      tx('r', '2024-02-05', 30),
      tx('r', '2024-02-05', -30),
      tx('r', '2024-03-01', -30),
    );
    const r = scoreCustomers(prepareTransactions(rows, { cutoff: '2024-06-30' }));
    expect(r.gammaGamma.ok).toBe(true);
    const refunded = scoredCustomer(r, 40);
    expect(refunded.customerId).toBe('r');
    expect(Number.isFinite(refunded.expectedSpend!)).toBe(true);
    expect(refunded.expectedSpend!).toBeGreaterThanOrEqual(0);
    const whale = scoredCustomer(r, 0);
    expect(whale.valueTier).toBe('gold');
    expect(Number.isFinite(whale.clv!)).toBe(true);
    for (let i = 0; i < r.customers.size; i++) expect(Number.isFinite(r.customers.clv[i]!)).toBe(true);
  });
});
