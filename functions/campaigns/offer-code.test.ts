import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newOfferCode, parseOfferCode } from './offer-code';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const offer = { prefix: 'SPRING', validDays: 14 };
const sentAt = new Date('2026-11-25T10:00:00Z');
const fixed =
  (...bytes: number[]) =>
  () =>
    Uint8Array.from(bytes);

describe('newOfferCode', () => {
  it('is the prefix, 10 random Crockford characters and a check character, valid for validDays', () => {
    const { code, expiresAt } = newOfferCode(offer, sentAt);
    expect(code).toMatch(/^SPRING-[0-9A-HJKMNP-TV-Z]{11}$/);
    expect(expiresAt).toBe('2026-12-09T10:00:00.000Z');
    // The 50 random bits are the first 50 of the 7 bytes: all zero bits give ten zeros.
    expect(newOfferCode(offer, sentAt, fixed(0, 0, 0, 0, 0, 0, 0)).code).toBe('SPRING-00000000000');
    expect(newOfferCode(offer, sentAt, fixed(255, 255, 255, 255, 255, 255, 255)).code.slice(7, 17)).toBe(
      'ZZZZZZZZZZ',
    );
  });

  it('draws 10,000 distinct codes, every character of the alphabet in every position, each one parsing back', () => {
    const codes = Array.from({ length: 10_000 }, () => newOfferCode(offer, sentAt).code);
    expect(new Set(codes).size).toBe(codes.length);
    for (let position = 7; position < 17; position++) {
      expect(new Set(codes.map((c) => c[position])).size).toBe(32);
    }
    for (const code of codes.slice(0, 1000))
      expect(parseOfferCode(code)).toEqual({ ok: true, prefix: 'SPRING', code });
  });
});

describe('parseOfferCode', () => {
  const { code } = newOfferCode(offer, sentAt, fixed(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde));

  it('reads a code however the customer typed it: case, spaces, no hyphen, I and L for 1, O for 0', () => {
    expect(parseOfferCode(` ${code.toLowerCase()} `)).toEqual({ ok: true, prefix: 'SPRING', code });
    expect(parseOfferCode(code.replace('-', ''))).toEqual({ ok: true, prefix: 'SPRING', code });
    const zeroAndOne = newOfferCode(
      { prefix: 'P1', validDays: 1 },
      sentAt,
      fixed(0, 0, 0, 0, 0, 0, 0x40),
    ).code;
    const body = zeroAndOne.slice(3, 13);
    expect(body).toBe('0000000001');
    const typed = `p1-${body.replace(/0/g, 'o').replace(/1/g, 'l')}${zeroAndOne.slice(13)}`;
    expect(parseOfferCode(typed)).toEqual({ ok: true, prefix: 'P1', code: zeroAndOne });
    expect(parseOfferCode(`${code.slice(0, 12)} - ${code.slice(12)}`)).toEqual({
      ok: true,
      prefix: 'SPRING',
      code,
    });
  });

  it('refuses what is not the shape of a code before any lookup', () => {
    for (const bad of [
      '',
      'SPRING',
      'SPRING-1234',
      `${code}0`,
      'SPRING-UUUUUUUUUUU',
      'SPRING-123456789!A',
      'X'.repeat(41),
      `TOOLONGPREFIX-${code.slice(7)}`,
    ]) {
      expect(parseOfferCode(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('tells a mistyped code from a wrong one: any one character changed or two swapped fails the check', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 7, maxLength: 7 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 10 }),
        (bytes, at, shift, other) => {
          const good = newOfferCode(offer, sentAt, () => bytes).code;
          const chars = [...good.slice(7)];
          const changed = [...chars];
          changed[at] = ALPHABET[(ALPHABET.indexOf(chars[at]!) + shift) % 32]!;
          expect(parseOfferCode(`SPRING-${changed.join('')}`)).toEqual({ ok: false, reason: 'mistyped' });
          const swapped = [...chars];
          [swapped[at], swapped[other]] = [chars[other]!, chars[at]!];
          const result = parseOfferCode(`SPRING-${swapped.join('')}`);
          if (chars[at] === chars[other]) expect(result.ok).toBe(true);
          else expect(result).toEqual({ ok: false, reason: 'mistyped' });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
