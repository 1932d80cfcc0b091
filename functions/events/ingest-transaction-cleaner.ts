import { cleanTransactionRecord } from '../ingest/clean-transaction-record';
import type { TransactionCleaner } from './transaction-value';

/** The ingest library's warning about a date more than a day ahead of the import's start. */
const FUTURE_DATE_WARNING = /^date: \S+ is in the future$/;

/**
 * The ingest library's transaction cleaning (aliases, charsets, date orders, decimal commas,
 * currency signs) as the processor's cleaner; `baseCurrency` is the currency of amounts when
 * neither the row nor the manifest gives one. The library only warns about a future date; the
 * processor rejects such a row (FUTURE_TOLERANCE_MS), so the warning is left out: a row rejected
 * for its date is not also listed as a warning.
 */
export const ingestTransactionCleaner =
  (baseCurrency: string): TransactionCleaner =>
  (fields, context) => {
    const cleaned = cleanTransactionRecord(fields, { ...context, baseCurrency });
    if ('reasons' in cleaned) return cleaned;
    const t = cleaned.value;
    const item = t.properties.items?.[0];
    return {
      value: {
        customer: t.customer,
        type: t.type,
        timestamp: t.timestamp,
        amount: t.properties.amount,
        currency: t.properties.currency,
        quantity: t.quantity,
        ...(t.eventId ? { eventId: t.eventId } : {}),
        ...(t.properties.orderId ? { orderId: t.properties.orderId } : {}),
        ...(item?.sku ? { sku: item.sku } : {}),
        ...(item?.category ? { category: item.category } : {}),
        ...(t.properties.channel ? { channel: t.properties.channel } : {}),
      },
      warnings: cleaned.warnings.filter((w) => !FUTURE_DATE_WARNING.test(w)),
    };
  };
