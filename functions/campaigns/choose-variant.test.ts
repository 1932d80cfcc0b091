import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseVariant } from './choose-variant';

const ids = Array.from({ length: 10_000 }, (_, i) => `profile-${i}`);
const proportions = (shares: number[], campaign = 'cmp_ab') => {
  const counts = shares.map(() => 0);
  for (const id of ids) counts[chooseVariant(campaign, id, shares)]!++;
  return counts.map((n) => n / ids.length);
};

describe('chooseVariant', () => {
  it('splits 10,000 profiles within 2 % of each share', () => {
    for (const shares of [
      [0.5, 0.5],
      [0.8, 0.2],
      [0.2, 0.3, 0.5],
      [0.1, 0.1, 0.1, 0.7],
    ]) {
      const got = proportions(shares);
      for (const [i, share] of shares.entries()) expect(Math.abs(got[i]! - share)).toBeLessThan(0.02);
    }
  });

  it('gives a profile the same variant in every run, and variant 0 without variants', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (campaign, id) => {
        expect(chooseVariant(campaign, id, [0.3, 0.7])).toBe(chooseVariant(campaign, id, [0.3, 0.7]));
        expect(chooseVariant(campaign, id, [1])).toBe(0);
        expect(chooseVariant(campaign, id, [])).toBe(0);
      }),
    );
  });

  it('always answers a variant that exists, even when the shares round short of 1', () => {
    const shares = [0.1, 0.2, 0.3, 0.4 - 1e-10];
    for (const id of ids.slice(0, 2000)) {
      const v = chooseVariant('cmp_x', id, shares);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(shares.length);
    }
  });

  it('assigns another campaign independently', () => {
    const both = ids.filter(
      (id) => chooseVariant('cmp_a', id, [0.5, 0.5]) === 0 && chooseVariant('cmp_b', id, [0.5, 0.5]) === 0,
    );
    expect(Math.abs(both.length / ids.length - 0.25)).toBeLessThan(0.02);
  });
});
