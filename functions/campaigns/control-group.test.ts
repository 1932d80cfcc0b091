import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSample } from '../segments/sample-share';
import { chooseVariant } from './choose-variant';
import { controlPosition, inCampaignControl, inGlobalControl } from './control-group';

const ids = Array.from({ length: 20_000 }, (_, i) => `c-${i}`);
const shareOf = (pick: (id: string) => boolean) => ids.filter(pick).length / ids.length;

describe('campaign control group', () => {
  it('holds out close to the share, for ids that differ in one character', () => {
    for (const share of [0.01, 0.1, 0.25, 0.5]) {
      expect(Math.abs(shareOf((id) => inCampaignControl('cmp_spring', id, share)) - share)).toBeLessThan(
        0.01,
      );
    }
  });

  it('holds out nobody at share 0 and gives the same answer every time (any ids)', () => {
    expect(ids.some((id) => inCampaignControl('cmp_spring', id, 0))).toBe(false);
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (campaign, id, share) => {
          expect(inCampaignControl(campaign, id, share)).toBe(inCampaignControl(campaign, id, share));
        },
      ),
    );
  });

  it('keeps every member when the share is raised, so raising it releases nobody', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (id, a, b) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          if (inCampaignControl('cmp_x', id, low)) expect(inCampaignControl('cmp_x', id, high)).toBe(true);
        },
      ),
    );
  });

  it('draws another group for another campaign, and pins the hash (SHA-256) so it never drifts', () => {
    const a = new Set(ids.filter((id) => inCampaignControl('cmp_a', id, 0.5)));
    const both = shareOf((id) => a.has(id) && inCampaignControl('cmp_b', id, 0.5));
    expect(Math.abs(both - 0.25)).toBeLessThan(0.015);
    // sha256("rekindle/control\0cmp_a\0c-1"), first 6 bytes / 2^48: a change of hash or salt
    // would move every customer between control and treated mid-campaign.
    expect(controlPosition('cmp_a', 'c-1')).toBeCloseTo(0x07d4320cf928 / 2 ** 48, 12);
  });

  it('is independent of the variant hash and of the segments sample leaf', () => {
    const control = new Set(ids.filter((id) => inCampaignControl('cmp_a', id, 0.5)));
    const variantZero = shareOf((id) => control.has(id) && chooseVariant('cmp_a', id, [0.5, 0.5]) === 0);
    expect(Math.abs(variantZero - 0.25)).toBeLessThan(0.015);
    const sampled = shareOf((id) => control.has(id) && inSample('cmp_a', 0.5, id));
    expect(Math.abs(sampled - 0.25)).toBeLessThan(0.015);
  });
});

describe('global control group', () => {
  it('holds out close to the share, nobody at 0, the same profiles for every campaign', () => {
    expect(ids.some((id) => inGlobalControl(id, 0))).toBe(false);
    expect(Math.abs(shareOf((id) => inGlobalControl(id, 0.05)) - 0.05)).toBeLessThan(0.005);
  });

  it('is independent of every campaign control group, and another salt draws another group', () => {
    const global = new Set(ids.filter((id) => inGlobalControl(id, 0.5)));
    expect(
      Math.abs(shareOf((id) => global.has(id) && inCampaignControl('cmp_a', id, 0.5)) - 0.25),
    ).toBeLessThan(0.015);
    expect(
      Math.abs(shareOf((id) => global.has(id) && inGlobalControl(id, 0.5, 'other')) - 0.25),
    ).toBeLessThan(0.015);
  });
});
