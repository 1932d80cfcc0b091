import { describe, expect, it } from 'vitest';
import { churnBandIndex, DEFAULT_CHURN_BANDS } from './churn-band.ts';
import { lifecycleStage } from './lifecycle-stage.ts';
import { matrixCellIndex, matrixCells } from './value-risk-matrix.ts';
import { assignValueTiers, NO_TIER } from './value-tier.ts';

describe('value tiers', () => {
  it('splits by share of the base from the top (1%, 5%, 20%, 50%, 80%, rest)', () => {
    const values = new Float64Array(100).map((_, i) => 100 - i); // 100 down to 1
    const tiers = assignValueTiers(values);
    const count = (t: number) => tiers.filter((v) => v === t).length;
    expect([0, 1, 2, 3, 4, 5].map(count)).toEqual([1, 4, 15, 30, 30, 20]);
    expect(tiers[0]).toBe(0);
    expect(tiers[99]).toBe(5);
  });

  it('puts ties in the same (better) tier and skips excluded rows', () => {
    const tiers = assignValueTiers(new Float64Array([5, 5, 5, 5]), undefined, new Uint8Array([1, 1, 1, 0]));
    expect([...tiers]).toEqual([0, 0, 0, NO_TIER]);
  });

  it('supports absolute value cut-offs', () => {
    const tiers = assignValueTiers(new Float64Array([1000, 150, 20, -5]), {
      mode: 'value',
      tiers: [{ name: 'gold', minValue: 500 }, { name: 'silver', minValue: 100 }, { name: 'rest' }],
    });
    expect([...tiers]).toEqual([0, 1, 2, 2]);
  });
});

describe('churn bands, matrix and lifecycle', () => {
  it('bands P(alive) with configurable cut-offs', () => {
    expect(churnBandIndex(0.9)).toBe(0);
    expect(churnBandIndex(0.7)).toBe(0);
    expect(churnBandIndex(0.5)).toBe(1);
    expect(churnBandIndex(0.01)).toBe(2);
    expect(churnBandIndex(Number.NaN)).toBe(-1);
    expect(
      churnBandIndex(0.5, [
        { name: 'ok', minPAlive: 0.4 },
        { name: 'gone', minPAlive: 0.1 },
      ]),
    ).toBe(0);
    expect(
      churnBandIndex(0.05, [
        { name: 'ok', minPAlive: 0.4 },
        { name: 'gone', minPAlive: 0.1 },
      ]),
    ).toBe(1);
  });

  it('each value x risk cell has the action it calls for', () => {
    const cells = matrixCells(DEFAULT_CHURN_BANDS.map((b) => b.name));
    const action = (tier: string, band: number) => cells[matrixCellIndex(tier, band, 3)]!.action;
    expect(action('gold', 0)).toBe('nurture-and-ask-referrals');
    expect(action('key', 2)).toBe('invest-to-retain');
    expect(action('restricted', 0)).toBe('cheaper-touches');
    expect(action('eliminated', 2)).toBe('let-go');
    expect(cells).toHaveLength(9);
    expect(() => matrixCells(['low', 'unknown'])).toThrow(/no action/);
    expect(() => matrixCellIndex('platinum', 0, 3)).toThrow(/no value level/);
  });

  it('lifecycle stage from history and P(alive)', () => {
    const base = { asOfDay: 1000, firstDay: 500, lastDay: 990, previousDay: 950, pAlive: 0.9 };
    expect(lifecycleStage({ ...base, firstDay: Number.NaN, lastDay: Number.NaN, pAlive: Number.NaN })).toBe(
      'prospect',
    );
    expect(lifecycleStage({ ...base, firstDay: 950, previousDay: Number.NaN })).toBe('new');
    expect(lifecycleStage(base)).toBe('active');
    expect(lifecycleStage({ ...base, pAlive: 0.4 })).toBe('at risk');
    expect(lifecycleStage({ ...base, lastDay: 700, previousDay: 600 })).toBe('at risk');
    expect(lifecycleStage({ ...base, pAlive: 0.1 })).toBe('lapsed');
    // A one-time buyer has P(alive) = 1 in BG/NBD: the history decides.
    expect(lifecycleStage({ ...base, firstDay: 300, lastDay: 300, previousDay: Number.NaN, pAlive: 1 })).toBe(
      'lapsed',
    );
    expect(lifecycleStage({ ...base, previousDay: 700 })).toBe('reactivated');
    expect(lifecycleStage({ ...base, pAlive: 0.4 }, { atRiskPAlive: 0.3 })).toBe('active');
  });
});
