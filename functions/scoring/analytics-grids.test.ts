import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyticsGrids, rfmGrid, valueRiskGrid } from './analytics-grids.ts';
import { parseCdnow } from './parse-cdnow.ts';
import { prepareTransactions, type RawTransaction } from './prepare-transactions.ts';
import { NONE, scoreCustomers } from './score-customers.ts';
import { matrixCellIndex } from './value-risk-matrix.ts';

const FIXTURE = new URL('../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url);
const CUTOFF_DAY = Date.UTC(2024, 5, 30) / 86_400_000;
const at = (daysBeforeCutoff: number): string =>
  new Date((CUTOFF_DAY - daysBeforeCutoff) * 86_400_000).toISOString().slice(0, 10);

// Ten customers: customer i last bought 10 (i + 1) days before the cut-off (R = 5, 5, 4, 4, ..., 1)
// with OCCASIONS[i] purchase occasions two days apart (F = 2 for 3-4 occasions, ..., 5 for 9-10),
// $10 each, except: c0 pays $10.333 (30.999 -> $31.00), c3 gets a $20.50 refund on a later day.
// Plus two prospects: a known id without rows, and a customer with only a refund of $12.344.
const OCCASIONS = [3, 1, 4, 10, 5, 9, 2, 6, 8, 7];
function population(): RawTransaction[] {
  const rows: RawTransaction[] = [];
  OCCASIONS.forEach((occasions, i) => {
    for (let j = 0; j < occasions; j++) {
      rows.push({ customerId: `c${i}`, timestamp: at(10 * (i + 1) + 2 * j), amount: i === 0 ? 10.333 : 10 });
    }
  });
  rows.push({ customerId: 'c3', timestamp: at(1), amount: -20.5 });
  rows.push({ customerId: 'refunder', timestamp: at(3), amount: -12.344 });
  return rows;
}

function scored() {
  const summaries = prepareTransactions(population(), { cutoff: at(0), customerIds: ['lead'] });
  return { summaries, result: scoreCustomers(summaries) };
}

describe('rfmGrid', () => {
  it('counts customers and revenue per recency x frequency score, prospects apart', () => {
    const { summaries, result } = scored();
    expect(summaries.ids).toEqual([
      'lead',
      'c0',
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
      'refunder',
    ]);
    const grid = rfmGrid(result, summaries);
    // Rows: R = 1..5; columns: F = 1..5.
    expect(grid.customers).toEqual([
      [0, 0, 0, 2, 0], // R1: c8 (8 occasions), c9 (7)
      [1, 0, 1, 0, 0], // R2: c6 (2), c7 (6)
      [0, 0, 1, 0, 1], // R3: c4 (5), c5 (9)
      [0, 1, 0, 0, 1], // R4: c2 (4), c3 (10)
      [1, 1, 0, 0, 0], // R5: c1 (1), c0 (3)
    ]);
    expect(grid.revenue).toEqual([
      [0, 0, 0, 150, 0],
      [20, 0, 60, 0, 0],
      [0, 0, 50, 0, 90],
      [0, 40, 0, 0, 79.5],
      [10, 31, 0, 0, 0],
    ]);
    expect(grid.total).toEqual({ customers: 10, revenue: 530.5 });
    expect(grid.prospects).toEqual({ customers: 2, revenue: -12.34 });
  });

  it('refuses summaries that do not belong to the result', () => {
    const { result } = scored();
    const other = prepareTransactions(population(), { cutoff: at(0) });
    expect(() => rfmGrid(result, other)).toThrow(/not the ones/);
  });
});

describe('valueRiskGrid', () => {
  it('counts customers and CLV per value tier x churn band, with each cell action', () => {
    const { result } = scored();
    const c = result.customers;
    // Hand-set tiers, bands and CLV (indices as in labels: tiers gold, key, quality, general,
    // restricted, eliminated; bands low, medium, high).
    const assign: [string, number, number, number][] = [
      ['c0', 0, 0, 100.004],
      ['c1', 0, 2, 50.006],
      ['c2', 2, 0, 20],
      ['c3', 2, 0, 30.5],
      ['c4', 5, 2, 0.001],
      ['c5', 5, 2, 0],
      ['c6', 3, 1, 7.77],
      ['c8', 4, 1, 1.111],
      ['c9', 4, 1, 2.222],
    ];
    c.valueTier.fill(NONE);
    c.churnBand.fill(NONE);
    c.cell.fill(NONE);
    c.clv.fill(Number.NaN);
    for (const [id, tier, band, clv] of assign) {
      const i = c.ids.indexOf(id);
      c.valueTier[i] = tier;
      c.churnBand[i] = band;
      c.cell[i] = matrixCellIndex(result.labels.valueTiers[tier]!, band, 3);
      c.clv[i] = clv;
    }
    c.valueTier[c.ids.indexOf('c7')] = 1; // a tier but no band: e.g. no BG/NBD fit
    const grid = valueRiskGrid(result);
    expect(grid.tiers).toEqual(['gold', 'key', 'quality', 'general', 'restricted', 'eliminated']);
    expect(grid.bands).toEqual(['low', 'medium', 'high']);
    expect(grid.cells.map((row) => row.map((cell) => cell.customers))).toEqual([
      [1, 0, 1],
      [0, 0, 0],
      [2, 0, 0],
      [0, 1, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]);
    expect(grid.cells.map((row) => row.map((cell) => cell.clv))).toEqual([
      [100, 0, 50.01],
      [0, 0, 0],
      [50.5, 0, 0],
      [0, 7.77, 0],
      [0, 3.33, 0],
      [0, 0, 0],
    ]);
    // Keys and actions also for the empty cells (from the matrix configuration).
    expect(grid.cells[1]![0]).toEqual({
      tier: 'key',
      band: 'low',
      key: 'high/low',
      action: 'nurture-and-ask-referrals',
      customers: 0,
      clv: 0,
    });
    expect(grid.cells[0]![2]!.action).toBe('invest-to-retain');
    expect(grid.cells[5]![2]!).toMatchObject({ key: 'low/high', action: 'let-go' });
    expect(grid.total).toEqual({ customers: 9, clv: 211.61 });
    expect(grid.unassigned).toEqual({ customers: 3, noTier: 2, noBand: 1 });
  });

  it('without a BG/NBD fit every purchaser is outside the grid (no churn band)', () => {
    const rows = [
      { customerId: 'a', timestamp: at(0), amount: 10 },
      { customerId: 'b', timestamp: at(0), amount: 30 },
    ];
    const summaries = prepareTransactions(rows, { cutoff: at(0) });
    const result = scoreCustomers(summaries);
    expect(result.bgNbd.ok).toBe(false);
    const grids = analyticsGrids(result, summaries);
    expect(grids.valueRisk.total).toEqual({ customers: 0, clv: 0 });
    expect(grids.valueRisk.unassigned).toEqual({ customers: 2, noTier: 0, noBand: 2 });
    expect(grids.rfm.total).toEqual({ customers: 2, revenue: 40 });
  });
});

describe('analyticsGrids on CDNOW', () => {
  it('adds up to the customers and agrees with the aggregates; small plain JSON', () => {
    const summaries = prepareTransactions(parseCdnow(readFileSync(FIXTURE, 'utf8')), {
      cutoff: '1997-09-30',
      timeUnit: 'week',
    });
    const result = scoreCustomers(summaries);
    const grids = analyticsGrids(result, summaries);
    expect(grids.asOf).toBe('1997-09-30');
    const rfmCount = grids.rfm.customers.flat().reduce((a, b) => a + b, 0);
    expect(rfmCount).toBe(2357);
    expect(grids.rfm.total.customers).toBe(2357);
    expect(grids.rfm.prospects).toEqual({ customers: 0, revenue: 0 });
    let cents = 0;
    for (let i = 0; i < summaries.size; i++) cents += Math.round(summaries.totalSpend[i]! * 100);
    expect(grids.rfm.total.revenue).toBe(cents / 100);
    expect(grids.rfm.revenue.flat().reduce((a, b) => a + b, 0)).toBeCloseTo(cents / 100, 6);
    // Value x risk: every customer in a cell; per key the counts of the run's aggregates.
    const cells = grids.valueRisk.cells.flat();
    expect(cells.reduce((n, cell) => n + cell.customers, 0)).toBe(2357);
    expect(grids.valueRisk.unassigned.customers).toBe(0);
    const byKey: Record<string, number> = {};
    for (const cell of cells) byKey[cell.key!] = (byKey[cell.key!] ?? 0) + cell.customers;
    expect(byKey).toEqual(result.aggregates.cells);
    expect(grids.valueRisk.total.clv).toBeCloseTo(result.aggregates.totalClv, 0);
    const json = JSON.stringify(grids);
    expect(JSON.parse(json)).toEqual(grids);
    expect(json.length).toBeLessThan(5000);
  });
});
