import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CurrencyRates, rateFor } from '../events/currency-rates';
import { parallelScan } from '../shared/parallel-scan';
import type { PurchaseHistory, PurchaseRows } from './purchase-history';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Reads the history with parallel Scans of the events table (purchases and refunds only) and the profiles table. */
export class DynamoDbPurchaseHistory implements PurchaseHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { readonly events: string; readonly profiles: string },
    private readonly currency: { readonly base: string; readonly rates: CurrencyRates },
    private readonly segments = 8,
  ) {}

  async read(options: { readonly until: string; readonly receivedBefore: string }): Promise<PurchaseRows> {
    const customerIds: string[] = [];
    const at: number[] = [];
    const amount: number[] = [];
    let unconverted = 0;
    const { base, rates } = this.currency;
    await parallelScan(
      this.client,
      {
        TableName: this.tables.events,
        FilterExpression: '#type IN (:purchase, :refund) AND #at <= :until AND receivedAt < :received',
        ProjectionExpression: 'profileId, #type, #at, #properties.#amount, #properties.#currency, fx',
        ExpressionAttributeNames: {
          '#type': 'type',
          '#at': 'at',
          '#properties': 'properties',
          '#amount': 'amount',
          '#currency': 'currency',
        },
        ExpressionAttributeValues: {
          ':purchase': 'purchase',
          ':refund': 'refund',
          ':until': options.until,
          ':received': options.receivedBefore,
        },
      },
      this.segments,
      (items) => {
        for (const item of items) {
          const properties = (item['properties'] ?? {}) as Record<string, unknown>;
          const value = num(properties['amount']) ?? 0;
          const currency = typeof properties['currency'] === 'string' ? properties['currency'] : base;
          const fx = item['fx'] as { base?: string; rate?: number } | undefined;
          const rate =
            currency === base ? 1 : fx?.base === base ? num(fx.rate) : rateFor(currency, base, rates);
          if (rate === undefined) {
            unconverted++;
            continue;
          }
          customerIds.push(item['profileId'] as string);
          at.push(Date.parse(item['at'] as string));
          amount.push((item['type'] === 'refund' ? -1 : 1) * Math.abs(value) * rate);
        }
      },
    );
    return { customerIds, at, amount, unconverted };
  }

  async profileIds(): Promise<string[]> {
    const ids: string[] = [];
    await parallelScan(
      this.client,
      { TableName: this.tables.profiles, ProjectionExpression: 'profileId' },
      this.segments,
      (items) => {
        for (const item of items) ids.push(item['profileId'] as string);
      },
    );
    return ids;
  }
}
