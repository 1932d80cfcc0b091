import { randomBytes } from 'node:crypto';
import { z } from 'zod';

// Offer codes, one per recipient: `SPRING-7K3MQ9TXW4H` is the campaign's prefix, 10 random
// characters and one check character, all in Crockford's base32 (digits and capitals without
// I, L, O and U, so nothing reads as another character; read case-insensitively, with I and L as 1
// and O as 0, as Crockford specifies).
//
// Unguessable: the 10 characters are 50 bits from the operating system's CSPRNG, so with a million
// codes live a guess hits one with probability 10^6 / 2^50 ≈ 1e-9 (a checkout still rate-limits).
// Unique: not by construction; among 10 million codes of one prefix two equal ones turn up with
// probability about 4 % (n² / 2^51), so the store claims each code with a conditional write and
// draws again on a clash.
//
// The check character tells a mistyped code from a wrong one before any lookup: a weighted sum
// over GF(32), c = Σ 2^(n-i) · d_i (Damm's scheme on the quasigroup x ∘ y = 2x ⊕ y, with
// x^5 + x^2 + 1), catches every single wrong character and every swap of two characters, which
// Crockford's mod-37 check does too but with five extra symbols (* ~ $ = U) nobody wants to type.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 10;
const DAY_MS = 24 * 3600 * 1000;

export const OFFER_PREFIX_PATTERN = /^[A-Z0-9]{1,10}$/;
export const offerSchema = z
  .strictObject({
    prefix: z
      .string()
      .regex(OFFER_PREFIX_PATTERN, 'must be 1-10 capital letters or digits, such as SPRING25'),
    validDays: z
      .number()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(365, 'must be at most 365'),
  })
  .meta({ description: 'Each recipient gets a unique code PREFIX-XXXXXXXXXXC, valid for validDays.' });
export type Offer = z.infer<typeof offerSchema>;

export interface OfferCode {
  readonly code: string;
  /** ISO date-time: `sentAt` plus `validDays` whole days. */
  readonly expiresAt: string;
}

/** 2x in GF(32) modulo x^5 + x^2 + 1. */
const double = (x: number): number => ((x << 1) ^ (x & 16 ? 0b100101 : 0)) & 31;

/** The check value of a run of digits (0-31): 0 when the run ends with its own check character. */
const check = (digits: readonly number[]): number => digits.reduce((c, d) => double(c) ^ d, 0);

/** The check character for the random part. */
const checkCharacter = (body: string): string => {
  const digits = [...body].map((ch) => ALPHABET.indexOf(ch));
  return ALPHABET[double(check(digits))]!;
};

/**
 * A new code for one recipient: `PREFIX-` + 10 random characters + the check character, and when
 * it expires. `random` is for tests.
 */
export const newOfferCode = (
  offer: Offer,
  sentAt: Date,
  random: (bytes: number) => Uint8Array = randomBytes,
): OfferCode => {
  const bytes = random(7); // 56 bits; the first 50 are used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  bits >>= 6n;
  let body = '';
  for (let i = RANDOM_CHARS - 1; i >= 0; i--) body += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return {
    code: `${offer.prefix}-${body}${checkCharacter(body)}`,
    expiresAt: new Date(sentAt.getTime() + offer.validDays * DAY_MS).toISOString(),
  };
};

export type ParsedOfferCode =
  | { readonly ok: true; readonly code: string; readonly prefix: string }
  | { readonly ok: false; readonly reason: 'malformed' | 'mistyped' };

/** Longer input than any code is refused unread. */
const MAX_INPUT_CHARS = 40;

/**
 * A code as a customer typed it, normalised (`spring-7k3mq9txw4h ` → `SPRING-7K3MQ9TXW4H`: case,
 * spaces, I/L → 1, O → 0 after the prefix, the hyphen optional), or why it cannot be one: `malformed` (not the
 * shape of a code: no lookup needed) or `mistyped` (the shape, but the check character does not
 * match: a typing error, tell the customer to look again). A `{ ok: true }` code may still be
 * unknown or expired: the lookup decides.
 */
export const parseOfferCode = (input: string): ParsedOfferCode => {
  if (input.length > MAX_INPUT_CHARS) return { ok: false, reason: 'malformed' };
  // The prefix ends at the first hyphen; without one, the last 11 characters are the code's own.
  const text = input.trim().toUpperCase();
  const hyphen = text.indexOf('-');
  const compact = (t: string) => t.replace(/[\s-]/g, '');
  const prefix = hyphen >= 0 ? text.slice(0, hyphen).trim() : compact(text).slice(0, -11);
  const rest = (hyphen >= 0 ? compact(text.slice(hyphen + 1)) : compact(text).slice(-11))
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (!OFFER_PREFIX_PATTERN.test(prefix) || !/^[0-9A-Z]{11}$/.test(rest))
    return { ok: false, reason: 'malformed' };
  if (/U/.test(rest)) return { ok: false, reason: 'malformed' };
  const digits = [...rest].map((ch) => ALPHABET.indexOf(ch));
  if (check(digits) !== 0) return { ok: false, reason: 'mistyped' };
  return { ok: true, prefix, code: `${prefix}-${rest}` };
};
