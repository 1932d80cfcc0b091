import { type ProfileRef, purchasePropertiesSchema } from '../events/event-input';
import type { CleanResult } from '../imports/row-processor';
import { cleanDateTime } from './clean-date';
import { cleanEmail } from './clean-email';
import { cleanNumber } from './clean-number';
import { cleanPhone, type PhoneType } from './clean-phone';
import { squashName } from './clean-text';
import type { IngestContext } from './ingest-context';
import {
  cleanPlainText,
  countryOf,
  dateOptionsOf,
  numberOptionsOf,
  RecordIssues,
  textOf,
  withAttribute,
} from './record-cleaning';

export type TransactionType = 'purchase' | 'refund';

export interface PurchaseItem {
  readonly sku: string;
  readonly category?: string;
  readonly quantity: number;
  readonly price: number;
}

/** Properties of a `purchase` or `refund` event (`purchasePropertiesSchema`; `orderId` only when the file has one). */
export interface PurchaseProperties {
  readonly orderId?: string;
  /** Never negative: a negative amount makes a refund. */
  readonly amount: number;
  readonly currency: string;
  readonly items?: readonly PurchaseItem[];
  readonly channel?: string;
}

export interface CleanTransaction {
  /** The file's event id, if it has one (the pipeline derives one otherwise). */
  readonly eventId?: string;
  readonly type: TransactionType;
  /** ISO 8601 UTC; a value without a zone is read in the manifest's `timeZone` (default UTC). */
  readonly timestamp: string;
  /** Every customer reference the row gives, cleaned. */
  readonly customer: { readonly externalId?: string; readonly email?: string; readonly phone?: string };
  /** The one reference an event takes: externalId, else email, else phone. */
  readonly profile: ProfileRef;
  readonly phoneType?: PhoneType;
  readonly quantity: number;
  readonly properties: PurchaseProperties;
  /** Unmapped columns kept when the manifest's `unmappedColumns` is `attributes`. */
  readonly attributes?: Readonly<Record<string, string>>;
}

const TYPES = new Map<string, TransactionType>();
for (const [type, words] of Object.entries({
  purchase: [
    'purchase',
    'sale',
    'sales',
    'order',
    'buy',
    'bought',
    'p',
    '购买',
    '销售',
    '订单',
    '下单',
    '消费',
  ],
  refund: ['refund', 'refunded', 'return', 'returned', 'r', 'credit', '退款', '退货', '退单'],
})) {
  for (const w of words) TYPES.set(squashName(w), type as TransactionType);
}

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_WORDS: Record<string, string> = {
  rmb: 'CNY',
  人民币: 'CNY',
  元: 'CNY',
  美元: 'USD',
  欧元: 'EUR',
  英镑: 'GBP',
  港币: 'HKD',
  '€': 'EUR',
  '£': 'GBP',
};
const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DAY_MS = 86_400_000;
const propertiesWithoutOrder = purchasePropertiesSchema.omit({ orderId: true });

const currencyCode = (text: string): string | undefined => {
  const word = CURRENCY_WORDS[text.toLowerCase()];
  if (word) return word;
  const code = text.toUpperCase();
  return ISO_CURRENCIES.has(code) ? code : undefined;
};

/**
 * One mapped transaction record as a purchase or refund, or why not. Needs a customer reference
 * (externalId, email or phone), a date and an amount. Quantity defaults to 1, type to purchase; a
 * negative amount (or quantity) makes a refund of its absolute value, and contradicts an explicit
 * purchase. Currency: the row's column, else the amount's unambiguous sign (`€`, `£`, `RMB`), else
 * the manifest's `currency`, else the `baseCurrency` setting. A row with a SKU carries one item
 * (price = amount / quantity). Properties are validated with the events API's schema.
 */
export const cleanTransactionRecord = (
  fields: Readonly<Record<string, string>>,
  context: IngestContext,
): CleanResult<CleanTransaction> => {
  const issues = new RecordIssues();
  const customer: { externalId?: string; email?: string; phone?: string } = {};
  let phoneType: PhoneType | undefined;
  let eventId: string | undefined;
  let orderId: string | undefined;
  let timestamp: string | undefined;
  let amount: number | undefined;
  let amountCurrency: string | undefined;
  let currency: string | undefined;
  let quantity: number | undefined;
  let sku: string | undefined;
  let category: string | undefined;
  let channel: string | undefined;
  let type: TransactionType | undefined;
  let attributes: Record<string, string> | undefined;
  for (const key in fields) {
    const text = textOf(fields[key]);
    if (text === undefined) continue;
    switch (key) {
      case 'externalId':
        customer.externalId = issues.take(cleanPlainText(text, key, 128));
        break;
      case 'email':
        customer.email = issues.take(cleanEmail(text));
        break;
      case 'phone': {
        const phone = issues.take(cleanPhone(text, countryOf(context)));
        customer.phone = phone?.e164;
        phoneType = phone?.type;
        break;
      }
      case 'eventId':
        if (EVENT_ID.test(text)) eventId = text;
        else issues.reasons.push('eventId: must be 1-128 of A-Z a-z 0-9 . _ : -');
        break;
      case 'orderId':
        orderId = issues.take(cleanPlainText(text, key, 128));
        break;
      case 'sku':
      case 'category':
        if (key === 'sku') sku = issues.take(cleanPlainText(text, key, 128));
        else category = issues.take(cleanPlainText(text, key, 128));
        break;
      case 'channel':
        channel = issues.take(cleanPlainText(text, key, 64));
        break;
      case 'date':
        timestamp = issues.take(
          cleanDateTime(text, key, { ...dateOptionsOf(context), timeZone: context.manifest.timeZone }),
        );
        break;
      case 'amount': {
        const n = issues.take(cleanNumber(text, key, numberOptionsOf(context)));
        if (n) {
          amount = n.value;
          amountCurrency = n.currency;
          if (n.currencySign && !n.currency) {
            issues.warnings.push(`amount: currency sign ${n.currencySign} is ambiguous, not used`);
          }
        }
        break;
      }
      case 'currency':
        currency = currencyCode(text);
        if (!currency) issues.reasons.push(`currency: ${text} is not an ISO 4217 code such as USD`);
        break;
      case 'quantity': {
        const n = issues.take(cleanNumber(text, key, numberOptionsOf(context)));
        if (n && !Number.isInteger(n.value)) issues.reasons.push('quantity: must be a whole number');
        else if (n && n.value === 0) issues.reasons.push('quantity: must not be 0');
        else if (n && Math.abs(n.value) > 1_000_000) issues.reasons.push('quantity: is out of range');
        else if (n) quantity = n.value;
        break;
      }
      case 'type':
        type = TYPES.get(squashName(text));
        if (!type) issues.reasons.push(`type: ${text} is neither purchase nor refund`);
        break;
      default:
        attributes = withAttribute(issues, attributes, key, text);
    }
  }
  const hadReasons = issues.reasons.length > 0;
  const profile: ProfileRef | undefined = customer.externalId
    ? { externalId: customer.externalId }
    : customer.email
      ? { email: customer.email }
      : customer.phone
        ? { phone: customer.phone }
        : undefined;
  if (!profile && !hadReasons)
    issues.reasons.push('no customer: give a customer id (externalId), an email or a phone');
  if (timestamp === undefined && fields.date === undefined) issues.reasons.push('date: is missing');
  if (amount === undefined && fields.amount === undefined) issues.reasons.push('amount: is missing');
  if (timestamp && Date.parse(timestamp) > Date.parse(context.now) + DAY_MS) {
    issues.warnings.push(`date: ${timestamp.slice(0, 10)} is in the future`);
  }
  const negative = (amount !== undefined && amount < 0) || (quantity !== undefined && quantity < 0);
  if (negative && type === 'purchase') {
    issues.reasons.push('amount: a purchase cannot be negative (write type refund, or a positive amount)');
  }
  if (currency && amountCurrency && currency !== amountCurrency) {
    issues.reasons.push(
      `currency: the amount is written in ${amountCurrency}, the currency column says ${currency}`,
    );
  }
  const finalCurrency = currency ?? amountCurrency ?? context.manifest.currency ?? context.baseCurrency;
  if (!finalCurrency && amount !== undefined) {
    issues.reasons.push("currency: is missing (add a currency column or the manifest's currency)");
  }
  if (
    issues.reasons.length > 0 ||
    !profile ||
    timestamp === undefined ||
    amount === undefined ||
    !finalCurrency
  ) {
    return { reasons: issues.reasons, warnings: issues.warnings };
  }
  const finalType: TransactionType = type ?? (negative ? 'refund' : 'purchase');
  const finalQuantity = Math.abs(quantity ?? 1);
  const total = Math.abs(amount);
  const items = sku
    ? [
        {
          sku,
          ...(category ? { category } : {}),
          quantity: finalQuantity,
          price: Math.round((total / finalQuantity) * 1e6) / 1e6,
        },
      ]
    : undefined;
  const properties = {
    ...(orderId ? { orderId } : {}),
    amount: total,
    currency: finalCurrency,
    ...(items ? { items } : {}),
    ...(channel ? { channel } : {}),
  };
  const parsed = (orderId ? purchasePropertiesSchema : propertiesWithoutOrder).safeParse(properties);
  if (!parsed.success) {
    return {
      reasons: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'record'}: ${i.message}`),
      warnings: issues.warnings,
    };
  }
  const value: CleanTransaction = {
    ...(eventId ? { eventId } : {}),
    type: finalType,
    timestamp,
    customer,
    profile,
    ...(phoneType ? { phoneType } : {}),
    quantity: finalQuantity,
    properties: parsed.data as PurchaseProperties,
    ...(attributes ? { attributes } : {}),
  };
  return { value, warnings: issues.warnings };
};
