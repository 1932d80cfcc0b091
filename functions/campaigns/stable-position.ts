import { hash } from 'node:crypto';

// A profile's place in [0, 1) for one purpose (control group, variant), stable across runs,
// processes and machines because it depends on nothing but its inputs. SHA-256 of the parts joined
// by NUL (no id may hold one), read as the first 48 bits big-endian and divided by 2^48: uniform,
// so a share of 0.1 holds 10 % of any set of ids however alike they are, and an analyst can
// recompute a membership outside the system from the first 6 bytes of the same SHA-256. Each
// purpose puts its own salt first, so the control hash, the variant hash and the segments' `sample`
// leaf (cyrb53, another seed space) are independent of each other. crypto.hash is one native call:
// about 1 µs per profile, 0.1 s for 100,000 recipients on this machine.

const TWO_POW_48 = 2 ** 48;

/** Where the parts fall in [0, 1): the first salt names the purpose. */
export const stablePosition = (...parts: readonly string[]): number =>
  hash('sha256', parts.join('\u0000'), 'buffer').readUIntBE(0, 6) / TWO_POW_48;
