import type { IssuedOffer } from './issued-offer';

/** The offer codes campaigns issued, one item each, unique by code. */
export interface OfferStore {
  /** Stores the code unless it exists already (a clash: draw another); false then. */
  claim(offer: IssuedOffer): Promise<boolean>;
  get(code: string): Promise<IssuedOffer | undefined>;
}
