import type { CleanContext, CleanResult } from '../imports/row-processor';

/** One cleaned row of a transaction file: a purchase or a refund of a customer. */
export interface TransactionValue {
  /** Who bought: at least one identifier (email and phone normalised). */
  readonly customer: { readonly externalId?: string; readonly email?: string; readonly phone?: string };
  readonly type: 'purchase' | 'refund';
  /** ISO 8601 in UTC. */
  readonly timestamp: string;
  /** Not negative: a negative amount in a file is a refund. */
  readonly amount: number;
  /** ISO 4217; the manifest's currency when the file has no currency column. */
  readonly currency?: string;
  readonly eventId?: string;
  readonly orderId?: string;
  readonly quantity?: number;
  readonly sku?: string;
  readonly category?: string;
  readonly channel?: string;
}

/** Turns one mapped record (field name -> cell text) into a transaction, or the reasons it cannot. */
export type TransactionCleaner = (
  fields: Readonly<Record<string, string>>,
  context: CleanContext,
) => CleanResult<TransactionValue>;
