// The `sample` leaf: a stable pseudo-random share of profiles. A profile's place in [0, 1) comes
// from a hash of the seed and its id, so the same profile is always in or out for the same seed,
// on every preview and every run, and a larger share keeps every member of a smaller one. Not for
// secrets: cyrb53 (a public-domain 53-bit string hash built on Math.imul) is fast and well spread,
// which is what a sample needs; another seed gives an independent sample.

const hash53 = (text: string): number => {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
};

/** Where a profile falls in [0, 1) for a seed. */
export const samplePosition = (seed: string, profileId: string): number =>
  hash53(`${seed}\u0000${profileId}`) / 2 ** 53;

/** True when the profile is in the sample of `share` (0, 1] for `seed`. */
export const inSample = (seed: string, share: number, profileId: string): boolean =>
  samplePosition(seed, profileId) < share;
