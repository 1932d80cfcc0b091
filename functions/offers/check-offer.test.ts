import { describe, expect, it } from 'vitest';
import { newOfferCode } from '../campaigns/offer-code';
import { checkOffer } from './check-offer';
import type { IssuedOffer } from './issued-offer';
import type { OfferStore } from './offer-store';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const sentAt = new Date('2026-06-10T08:00:00.000Z');
const fixed =
  (...bytes: number[]) =>
  () =>
    Uint8Array.from(bytes);
const issue = (bytes: number[], validDays = 14): IssuedOffer => ({
  ...newOfferCode({ prefix: 'SPRING', validDays }, sentAt, fixed(...bytes)),
  campaignId: 'cmp_spring',
  runId: 'run_spring_20260610T080000Z',
  profileId: 'p_ada',
  issuedAt: sentAt.toISOString(),
});
const inMemory = (...offers: IssuedOffer[]): Pick<OfferStore, 'get'> & { lookups: string[] } => {
  const byCode = new Map(offers.map((o) => [o.code, o]));
  const lookups: string[] = [];
  return {
    lookups,
    get: async (code) => {
      lookups.push(code);
      return byCode.get(code);
    },
  };
};

const ada = issue([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde]);
const other = issue([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32]);
const soon = new Date('2026-06-11T08:00:00.000Z');
/** The code with one character of its random part replaced by another of the alphabet. */
const typo = (code: string, position: number) => {
  const ch = code[position]!;
  const wrong = ALPHABET[(ALPHABET.indexOf(ch) + 1) % ALPHABET.length]!;
  return code.slice(0, position) + wrong + code.slice(position + 1);
};

describe('checkOffer', () => {
  it('says a code issued and not yet expired is valid, with its campaign and expiry', async () => {
    expect(await checkOffer(inMemory(ada), ada.code, soon)).toEqual({
      code: ada.code,
      valid: true,
      expiresAt: '2026-06-24T08:00:00.000Z',
      campaignId: 'cmp_spring',
      issuedAt: '2026-06-10T08:00:00.000Z',
    });
  });

  it('reads the code however the customer typed it: lower case, spaces, no hyphen', async () => {
    const store = inMemory(ada);
    for (const typed of [ada.code.toLowerCase(), `  ${ada.code} `, ada.code.replace('-', '')]) {
      expect(await checkOffer(store, typed, soon)).toMatchObject({ code: ada.code, valid: true });
    }
    expect(store.lookups).toEqual([ada.code, ada.code, ada.code]);
  });

  it('never names the customer or the run the code was issued in: a code is a bearer token', async () => {
    const answer = JSON.stringify(await checkOffer(inMemory(ada), ada.code, soon));
    expect(answer).not.toContain('p_ada');
    expect(answer).not.toContain('profileId');
    expect(answer).not.toContain('runId');
  });

  it('tells a mistyped code (one wrong character) from an unknown one, without a lookup', async () => {
    const store = inMemory(ada);
    for (let position = 7; position < ada.code.length; position++) {
      const answer = await checkOffer(store, typo(ada.code, position), soon);
      expect(answer).toEqual({ code: typo(ada.code, position), valid: false, reason: 'mistyped' });
    }
    expect(store.lookups).toEqual([]);
  });

  it('says a well-formed code nobody was issued is unknown', async () => {
    expect(await checkOffer(inMemory(ada), other.code, soon)).toEqual({
      code: other.code,
      valid: false,
      reason: 'unknown',
    });
  });

  it('says a code is expired from the moment it expires, and when that was', async () => {
    const store = inMemory(ada);
    expect(await checkOffer(store, ada.code, new Date('2026-06-24T07:59:59.999Z'))).toMatchObject({
      valid: true,
    });
    for (const at of ['2026-06-24T08:00:00.000Z', '2026-07-01T00:00:00.000Z'])
      expect(await checkOffer(store, ada.code, new Date(at))).toEqual({
        code: ada.code,
        valid: false,
        reason: 'expired',
        expiresAt: '2026-06-24T08:00:00.000Z',
      });
  });

  it('refuses what is not the shape of a code without a lookup, echoing at most 40 characters', async () => {
    const store = inMemory(ada);
    for (const input of ['', 'hello', 'SPRING-123', 'spring-7k3mq9txw4h-extra', '<script>'])
      expect(await checkOffer(store, input, soon)).toEqual({
        code: input,
        valid: false,
        reason: 'malformed',
      });
    const long = `${ada.code}${'X'.repeat(100)}`;
    expect(await checkOffer(store, long, soon)).toEqual({
      code: long.slice(0, 40),
      valid: false,
      reason: 'malformed',
    });
    expect(store.lookups).toEqual([]);
  });
});
