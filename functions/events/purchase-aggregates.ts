import { type CurrencyRates, minorDigits, rateFor } from './currency-rates';
import type { StoredEvent } from './stored-event';

export interface CategoryAggregate {
  /** Net spend in the base currency. */
  readonly spend: number;
  /** Orders with a line in this category that were not refunded away. */
  readonly count: number;
}

/** What a profile's purchases and refunds add up to: kept on the profile as `purchases`. */
export interface PurchaseAggregates {
  readonly currency: string;
  /** Purchase and refund events counted (distinct eventIds): grows with every new event. */
  readonly eventCount: number;
  /** Orders that count: they have a purchase and were not refunded to zero. */
  readonly orders: number;
  /** Purchase occasions: distinct UTC days on which a counting order was placed. */
  readonly occasions: number;
  /** Purchases minus refunds, in the base currency. */
  readonly totalSpend: number;
  /** totalSpend / occasions (0 without occasions). */
  readonly averageSpend: number;
  readonly refunds: number;
  readonly refundedAmount: number;
  readonly firstPurchaseAt?: string;
  readonly lastPurchaseAt?: string;
  readonly categories: Readonly<Record<string, CategoryAggregate>>;
  /** Events left out because no rate to the base currency was known for their currency. */
  readonly unconverted?: number;
}

export type AggregateEvent = Pick<StoredEvent, 'eventId' | 'type' | 'at' | 'properties' | 'fx'>;

interface Line {
  readonly category?: string;
  /** Base-currency minor units. */
  readonly value?: number;
}

interface Order {
  purchased: number;
  refunded: number;
  hasPurchase: boolean;
  firstAt?: string;
  lastAt?: string;
  itemlessRefunds: number;
  categoryPurchased: Map<string, number>;
  categoryRefunded: Map<string, number>;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const addTo = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

/**
 * A profile's purchase aggregates from all its purchase and refund events, in any order. Pure and
 * exact: amounts are summed in minor units of the base currency (each event converted once and
 * rounded), duplicates (same eventId) count once. Rules:
 * - an order is the events sharing `properties.orderId` (an event without one is its own order);
 * - refunds subtract from their order; an order is refunded away when it had refunds and its net is
 *   zero or less: it then counts for no occasion, no category count and no first/last purchase;
 * - an occasion is a UTC calendar day (YYYY-MM-DD of the order's first purchase line in UTC) with at
 *   least one counting order: several lines of an order, or several orders on one day, are one;
 * - category spend: lines `items[].price * quantity`; refund lines subtract from their category; a
 *   refund without lines is spread over the order's categories in proportion to their spend;
 * - currencies: the rate recorded on the event (`fx`) when it was taken for this base currency, else
 *   `rates`; an event with neither is left out and counted in `unconverted`.
 */
export const computePurchaseAggregates = (
  events: readonly AggregateEvent[],
  options: { readonly baseCurrency: string; readonly rates: CurrencyRates },
): PurchaseAggregates => {
  const { baseCurrency, rates } = options;
  const scale = 10 ** minorDigits(baseCurrency);
  const seen = new Set<string>();
  const orders = new Map<string, Order>();
  let refunds = 0;
  let refundedMinor = 0;
  let unconverted = 0;

  for (const event of events) {
    if ((event.type !== 'purchase' && event.type !== 'refund') || seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    const p = event.properties ?? {};
    const amount = num(p.amount) ?? 0;
    const currency = str(p.currency) ?? baseCurrency;
    const rate =
      currency === baseCurrency
        ? 1
        : event.fx && event.fx.base === baseCurrency
          ? event.fx.rate
          : rateFor(currency, baseCurrency, rates);
    if (rate === undefined) {
      unconverted++;
      continue;
    }
    const minor = (value: number) => Math.round(value * rate * scale);
    const key = str(p.orderId) ?? `event:${event.eventId}`;
    let order = orders.get(key);
    if (!order) {
      order = {
        purchased: 0,
        refunded: 0,
        hasPurchase: false,
        itemlessRefunds: 0,
        categoryPurchased: new Map(),
        categoryRefunded: new Map(),
      };
      orders.set(key, order);
    }
    const lines: Line[] = Array.isArray(p.items)
      ? p.items.map((item: Record<string, unknown>) => {
          const price = num(item?.price);
          const quantity = num(item?.quantity) ?? 1;
          return {
            ...(str(item?.category) ? { category: str(item?.category) } : {}),
            ...(price !== undefined ? { value: minor(price * quantity) } : {}),
          };
        })
      : [];
    // A single line without a price is worth the event's amount.
    const only = lines.length === 1 ? lines[0] : undefined;
    if (only && only.value === undefined) lines[0] = { ...only, value: minor(amount) };

    if (event.type === 'purchase') {
      order.hasPurchase = true;
      order.purchased += minor(amount);
      if (!order.firstAt || event.at < order.firstAt) order.firstAt = event.at;
      if (!order.lastAt || event.at > order.lastAt) order.lastAt = event.at;
      for (const line of lines)
        if (line.category) addTo(order.categoryPurchased, line.category, line.value ?? 0);
    } else {
      refunds++;
      refundedMinor += minor(amount);
      order.refunded += minor(amount);
      if (lines.length === 0) order.itemlessRefunds += minor(amount);
      for (const line of lines)
        if (line.category) addTo(order.categoryRefunded, line.category, line.value ?? 0);
    }
  }

  let totalMinor = 0;
  let counted = 0;
  const days = new Set<string>();
  let firstPurchaseAt: string | undefined;
  let lastPurchaseAt: string | undefined;
  const categorySpend = new Map<string, number>();
  const categoryCount = new Map<string, number>();

  for (const order of orders.values()) {
    const net = order.purchased - order.refunded;
    totalMinor += net;
    const refundedAway = order.refunded > 0 && net <= 0;
    const counts = order.hasPurchase && !refundedAway;
    if (counts && order.firstAt && order.lastAt) {
      counted++;
      days.add(order.firstAt.slice(0, 10));
      if (!firstPurchaseAt || order.firstAt < firstPurchaseAt) firstPurchaseAt = order.firstAt;
      if (!lastPurchaseAt || order.lastAt > lastPurchaseAt) lastPurchaseAt = order.lastAt;
    }
    const categoryGross = [...order.categoryPurchased.values()].reduce((a, b) => a + b, 0);
    const categories = new Set([...order.categoryPurchased.keys(), ...order.categoryRefunded.keys()]);
    for (const category of categories) {
      const bought = order.categoryPurchased.get(category) ?? 0;
      const share =
        categoryGross > 0 && order.itemlessRefunds > 0
          ? Math.round((bought * order.itemlessRefunds) / categoryGross)
          : 0;
      const categoryNet = bought - (order.categoryRefunded.get(category) ?? 0) - share;
      addTo(categorySpend, category, categoryNet);
      if (!categoryCount.has(category)) categoryCount.set(category, 0);
      if (counts && categoryNet > 0) addTo(categoryCount, category, 1);
    }
  }

  const major = (minor: number) => minor / scale;
  const categories: Record<string, CategoryAggregate> = {};
  for (const category of [...categorySpend.keys()].sort()) {
    categories[category] = {
      spend: major(categorySpend.get(category) ?? 0),
      count: categoryCount.get(category) ?? 0,
    };
  }
  return {
    currency: baseCurrency,
    eventCount: seen.size,
    orders: counted,
    occasions: days.size,
    totalSpend: major(totalMinor),
    averageSpend: days.size > 0 ? major(Math.round(totalMinor / days.size)) : 0,
    refunds,
    refundedAmount: major(refundedMinor),
    ...(firstPurchaseAt ? { firstPurchaseAt } : {}),
    ...(lastPurchaseAt ? { lastPurchaseAt } : {}),
    categories,
    ...(unconverted > 0 ? { unconverted } : {}),
  };
};
