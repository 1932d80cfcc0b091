import type { z } from 'zod';
import type { FieldError } from '../shared/domain-errors';
import { unstorableNumbers } from '../shared/exact-numbers';
import { type CurrencyRates, rateFor } from './currency-rates';
import { type EventInput, eventInputSchema, propertiesSchemaFor } from './event-input';
import { MONEY_TYPES } from './stored-event';

/**
 * How far after "now" an event's time may be and still be recorded: the clock skew allowed between
 * a sender's clock and ours, in milliseconds (exactly at the edge is accepted). An event must have
 * happened: a purchase or refund dated in the future would count spend (and move `lastPurchaseAt`)
 * before it exists, and a future visit, signup or service event is just as impossible, so the rule
 * holds for every type, in `POST /events` (the request's time) and in transaction files (the
 * import's start, so a resumed import decides every row as the first attempt did).
 */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Whether `timestamp` (ISO 8601 with a zone) is later than `now` plus the clock-skew tolerance. */
/** The earliest an event may be dated unless the setting says otherwise. */
export const EARLIEST_EVENT_AT = new Date('1970-01-01T00:00:00Z');

export const isInTheFuture = (timestamp: string, now: Date): boolean =>
  Date.parse(timestamp) > now.getTime() + FUTURE_TOLERANCE_MS;

/** Why an event of `type` dated in the future is refused (after the field's name). */
export const futureReason = (type: string): string =>
  `is in the future: ${MONEY_TYPES.includes(type) ? 'purchases and refunds' : 'events'} must have happened ` +
  `(${FUTURE_TOLERANCE_MS / 60_000} minutes of clock skew are allowed)`;

export type EventCheck =
  | { readonly event: EventInput; readonly rate?: number }
  | { readonly eventId?: string; readonly errors: readonly FieldError[] };

const details = (error: z.ZodError, prefix = ''): FieldError[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(event)',
    message: issue.message,
  }));

/**
 * One event of a batch, on its own: the envelope, the properties its type requires, a time not in
 * the future (beyond FUTURE_TOLERANCE_MS after `now`), and a purchase or refund in a currency with
 * a rate to the base one. Pure: `now` is the caller's clock.
 */
export const validateEvent = (
  raw: unknown,
  options: {
    readonly now: Date;
    readonly baseCurrency: string;
    readonly rates: CurrencyRates;
    /** Events dated before this are refused: a purchase of the year 1 is a typo, and it drags a model fit to its bounds. */
    readonly earliest?: Date;
  },
): EventCheck => {
  const eventId =
    typeof raw === 'object' && raw !== null && typeof (raw as { eventId?: unknown }).eventId === 'string'
      ? (raw as { eventId: string }).eventId
      : undefined;
  const withId = (errors: FieldError[]): EventCheck => ({ ...(eventId ? { eventId } : {}), errors });

  // A number the store cannot keep as sent fails this event alone, not its batch.
  const unstorable = unstorableNumbers(raw);
  if (unstorable.length > 0) return withId(unstorable);
  const parsed = eventInputSchema.safeParse(raw);
  if (!parsed.success) return withId(details(parsed.error));
  const event = parsed.data;
  const errors: FieldError[] = [];
  const properties = propertiesSchemaFor(event.type).safeParse(event.properties ?? {});
  if (!properties.success) errors.push(...details(properties.error, 'properties'));
  if (isInTheFuture(event.timestamp, options.now)) {
    errors.push({ path: 'timestamp', message: futureReason(event.type) });
  }
  const earliest = options.earliest ?? EARLIEST_EVENT_AT;
  if (Date.parse(event.timestamp) < earliest.getTime()) {
    errors.push({ path: 'timestamp', message: `must not be before ${earliest.toISOString().slice(0, 10)}` });
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
