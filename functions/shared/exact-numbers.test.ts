import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonExactly, UnstorableNumber, unstorableNumbers } from './exact-numbers';

const problems = (json: string) => unstorableNumbers(parseJsonExactly(json));

describe('exact JSON numbers', () => {
  it('keeps every number DynamoDB stores as sent, however it is spelt', () => {
    expect(
      parseJsonExactly('{"a":1e16,"b":-0.5,"c":1.10,"d":0,"e":-0,"f":1E2,"g":123456789012345680000}'),
    ).toEqual({ a: 1e16, b: -0.5, c: 1.1, d: 0, e: -0, f: 100, g: 123456789012345680000 });
    expect(problems('[1e125, 9.99999999999999e125, 1e-130, 9007199254740991, 0.1, 2]')).toEqual([]);
  });

  it('names each number that cannot be stored as sent, with why', () => {
    expect(
      problems('{"attributes":{"a":9007199254740993,"b":1e300,"c":-1e300,"d":5e-324,"e":1e-400}}'),
    ).toEqual([
      { path: 'attributes.a', message: expect.stringMatching(/stored as 9007199254740992.*string/) },
      { path: 'attributes.b', message: expect.stringMatching(/too large/) },
      { path: 'attributes.c', message: expect.stringMatching(/too large/) },
      { path: 'attributes.d', message: expect.stringMatching(/too small/) },
      { path: 'attributes.e', message: expect.stringMatching(/too small/) },
    ]);
    expect(parseJsonExactly('[1e999, 1e126]')).toEqual([
      expect.any(UnstorableNumber),
      expect.any(UnstorableNumber),
    ]);
  });

  it('accepts exactly the doubles whose shortest decimal is what was sent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const ok = x === 0 || (Math.abs(x) >= 1e-130 && Math.abs(x) < 1e126);
        expect(problems(JSON.stringify([x])).length === 0).toBe(ok);
      }),
    );
  });
});
