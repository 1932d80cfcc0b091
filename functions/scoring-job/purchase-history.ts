/** Every customer's purchases and refunds, as the scoring job reads them. */
export interface PurchaseHistory {
  /**
   * Purchases and refunds at or before `until` and received before `receivedBefore`, one entry per
   * event: `at` in epoch milliseconds, `amount` in the base currency (refunds negative). Events whose
   * currency has no rate are left out and counted.
   */
  read(options: { readonly until: string; readonly receivedBefore: string }): Promise<PurchaseRows>;
  /** The id of every profile (customers without purchases are scored as prospects). */
  profileIds(): Promise<string[]>;
}

/** Column-oriented, so a million customers' history stays compact. */
export interface PurchaseRows {
  readonly customerIds: string[];
  readonly at: number[];
  readonly amount: number[];
  readonly unconverted: number;
}
