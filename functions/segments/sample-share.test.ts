import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSample, samplePosition } from './sample-share';

const ids = Array.from({ length: 20_000 }, (_, i) => `c-${i}`);

describe('sample', () => {
  it('takes close to the asked share of profiles', () => {
    for (const share of [0.01, 0.1, 0.5]) {
      const taken = ids.filter((id) => inSample('spring', share, id)).length / ids.length;
      expect(Math.abs(taken - share)).toBeLessThan(0.01);
    }
  });

  it('is stable: the same profile is in or out for the same seed, and a larger share keeps everyone', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, id, a, extra) => {
          expect(inSample(seed, a, id)).toBe(inSample(seed, a, id));
          const b = Math.min(1, a + extra);
          if (inSample(seed, a, id)) expect(inSample(seed, b, id)).toBe(true);
        },
      ),
    );
  });

  it('takes everyone at share 1, and another seed gives an independent sample', () => {
    expect(ids.every((id) => inSample('x', 1, id))).toBe(true);
    const a = new Set(ids.filter((id) => inSample('a', 0.5, id)));
    const both = ids.filter((id) => a.has(id) && inSample('b', 0.5, id)).length / ids.length;
    expect(Math.abs(both - 0.25)).toBeLessThan(0.015);
    // The seed and the id are kept apart: ("ab", "c") is not ("a", "bc").
    expect(samplePosition('ab', 'c')).not.toBe(samplePosition('a', 'bc'));
  });
});
