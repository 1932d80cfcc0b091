/** Which of these addresses are suppressed, as `channel#address` keys (the suppression list). */
export type SuppressedOf = (
  addresses: readonly { channel: 'email' | 'sms'; address: string }[],
) => Promise<ReadonlySet<string>>;

/**
 * The whole suppression list as `channel#address` keys, or undefined once it holds more than
 * `limit` (the caller then looks addresses up instead).
 */
export type SuppressionList = (limit: number) => Promise<ReadonlySet<string> | undefined>;

/** The addresses consent would reach on one selected profile. */
export interface Reach {
  readonly email?: string;
  readonly sms?: string;
}

/**
 * Keys the whole list may hold before a preview looks addresses up instead: about 100 bytes of heap
 * each, so 1,000,000 is some 100 MB of the preview function's 1024 MB.
 */
export const SUPPRESSION_LIST_LIMIT = 1_000_000;

/**
 * Counts the selected profiles a marketing message could reach on each channel, and on either:
 * consent (already in `Reach`) and not suppressed.
 *
 * Two ways to know who is suppressed, with the same answer. A read of a few index partitions looks
 * its addresses up (one BatchGetItem per 100, page by page). A read of the whole profiles table
 * would look up nearly every address in it, one read unit each: 1,000 batch reads for 100,000
 * profiles, each page's lookups holding back its scan segment (2.5 s of a 100,000-profile
 * preview's 19.8 s on the bench). So a whole-table read reads the whole suppression list instead, beside the
 * scan, in far fewer requests (its items are small, and a list is usually a small share of the
 * profiles), and checks each address in memory. Pages that arrive before the list has been read
 * wait in `pending`; a list longer than SUPPRESSION_LIST_LIMIT falls back to lookups.
 */
export class ReachabilityTally {
  email = 0;
  sms = 0;
  any = 0;
  private list: ReadonlySet<string> | undefined;
  private listing: Promise<void> | undefined;
  private pending: Reach[] = [];

  constructor(
    private readonly lookup: SuppressedOf | undefined,
    wholeList: SuppressionList | undefined,
    limit = SUPPRESSION_LIST_LIMIT,
  ) {
    if (!wholeList) return;
    this.listing = wholeList(limit).then((list) => {
      this.list = list;
      this.listing = undefined;
    });
    // Awaited in done(); meanwhile a failure must not be an unhandled rejection.
    this.listing.catch(() => undefined);
  }

  /** One page's selected profiles. */
  async add(page: readonly Reach[]): Promise<void> {
    if (this.listing) {
      for (const r of page) this.pending.push(r);
      return;
    }
    await this.settlePending();
    await this.count(page);
  }

  /** Once every page is added: the counts are final when this settles. */
  async done(): Promise<void> {
    if (this.listing) await this.listing;
    await this.settlePending();
  }

  private async settlePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    // In pages' worth, so a fallback to lookups reads no more at once than a page would.
    for (let i = 0; i < pending.length; i += 1000) await this.count(pending.slice(i, i + 1000));
  }

  private async count(page: readonly Reach[]): Promise<void> {
    const suppressed = this.list ?? (await this.lookedUp(page));
    for (const r of page) {
      const e = r.email !== undefined && !suppressed.has(`email#${r.email}`);
      const t = r.sms !== undefined && !suppressed.has(`sms#${r.sms}`);
      if (e) this.email++;
      if (t) this.sms++;
      if (e || t) this.any++;
    }
  }

  private lookedUp(page: readonly Reach[]): Promise<ReadonlySet<string>> {
    if (!this.lookup) return Promise.resolve(new Set());
    const addresses: { channel: 'email' | 'sms'; address: string }[] = [];
    for (const r of page) {
      if (r.email !== undefined) addresses.push({ channel: 'email', address: r.email });
      if (r.sms !== undefined) addresses.push({ channel: 'sms', address: r.sms });
    }
    return addresses.length === 0 ? Promise.resolve(new Set()) : this.lookup(addresses);
  }
}
