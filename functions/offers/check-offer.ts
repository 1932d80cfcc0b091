import { parseOfferCode } from '../campaigns/offer-code';
import type { OfferStore } from './offer-store';

// What a checkout asks before it takes a code: is it one of ours, and still good? The answer never
// names the customer: a code is a bearer token, and whoever holds it may use it.

export type OfferCheck =
  | {
      readonly code: string;
      readonly valid: true;
      readonly expiresAt: string;
      readonly campaignId: string;
      readonly issuedAt: string;
    }
  | {
      readonly code: string;
      readonly valid: false;
      /** malformed: not the shape of a code; mistyped: its check character is wrong (look again). */
      readonly reason: 'malformed' | 'mistyped' | 'unknown' | 'expired';
      readonly expiresAt?: string;
    };

export const checkOffer = async (
  store: Pick<OfferStore, 'get'>,
  input: string,
  now: Date = new Date(),
): Promise<OfferCheck> => {
  const parsed = parseOfferCode(input);
  if (!parsed.ok) return { code: input.slice(0, 40), valid: false, reason: parsed.reason };
  const offer = await store.get(parsed.code);
  if (!offer) return { code: parsed.code, valid: false, reason: 'unknown' };
  if (new Date(offer.expiresAt).getTime() <= now.getTime())
    return { code: parsed.code, valid: false, reason: 'expired', expiresAt: offer.expiresAt };
  return {
    code: parsed.code,
    valid: true,
    expiresAt: offer.expiresAt,
    campaignId: offer.campaignId,
    issuedAt: offer.issuedAt,
  };
};
