import type { z } from 'zod';
import type { FieldError } from '../shared/domain-errors';
import { type CurrencyRates, rateFor } from './currency-rates';
import { type EventInput, eventInputSchema, propertiesSchemaFor } from './event-input';

/** How far ahead of the server's clock an event may be (clock skew), in milliseconds. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

export type EventCheck =
  | { readonly event: EventInput; readonly rate?: number }
  | { readonly eventId?: string; readonly errors: readonly FieldError[] };

const details = (error: z.ZodError, prefix = ''): FieldError[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(event)',
    message: issue.message,
  }));

/**
 * One event of a batch, on its own: the envelope, the properties its type requires, not more than
 * five minutes in the future, and a purchase or refund in a currency with a rate to the base one.
 */
export const validateEvent = (
  raw: unknown,
  options: { readonly now: Date; readonly baseCurrency: string; readonly rates: CurrencyRates },
): EventCheck => {
  const eventId =
    typeof raw === 'object' && raw !== null && typeof (raw as { eventId?: unknown }).eventId === 'string'
      ? (raw as { eventId: string }).eventId
      : undefined;
  const withId = (errors: FieldError[]): EventCheck => ({ ...(eventId ? { eventId } : {}), errors });

  const parsed = eventInputSchema.safeParse(raw);
  if (!parsed.success) return withId(details(parsed.error));
  const event = parsed.data;
  const errors: FieldError[] = [];
  const properties = propertiesSchemaFor(event.type).safeParse(event.properties ?? {});
  if (!properties.success) errors.push(...details(properties.error, 'properties'));
  if (Date.parse(event.timestamp) > options.now.getTime() + MAX_FUTURE_MS) {
    errors.push({ path: 'timestamp', message: 'must not be more than 5 minutes in the future' });
  }
  let rate: number | undefined;
  if (properties.success && (event.type === 'purchase' || event.type === 'refund')) {
    const currency = (properties.data as { currency: string }).currency;
    rate = rateFor(currency, options.baseCurrency, options.rates);
    if (rate === undefined) {
      errors.push({
        path: 'properties.currency',
        message: `${currency} has no rate to the base currency ${options.baseCurrency} (setting currencyRates)`,
      });
    }
  }
  if (errors.length > 0) return withId(errors);
  return { event, ...(rate !== undefined ? { rate } : {}) };
};
