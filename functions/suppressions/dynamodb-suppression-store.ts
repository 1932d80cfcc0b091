import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../shared/batch-get-all';
import { isConditionFailure } from '../shared/is-condition-failure';
import { parallelScan } from '../shared/parallel-scan';
import { type Suppression, type SuppressionChannel, suppressionKey } from './suppression';
import type { SuppressionStore } from './suppression-store';

const toItem = (s: Suppression) => ({ suppressionKey: suppressionKey(s.channel, s.address), ...s });
const fromItem = (item: Record<string, unknown>): Suppression => {
  const { suppressionKey: _key, ...rest } = item;
  return rest as unknown as Suppression;
};

/** Segments of a scan of the whole list: as many as a preview's scan of the profiles, beside it. */
const SUPPRESSION_SCAN_SEGMENTS = 4;

/** The suppressions table: one item per suppressed address, keyed `channel#address`. */
export class DynamoDbSuppressionStore implements SuppressionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(suppression: Suppression): Promise<Suppression> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(suppression),
          // The first reason stays: a complaint later does not rewrite when a bounce suppressed it.
          ConditionExpression: 'attribute_not_exists(suppressionKey)',
        }),
      );
      return suppression;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(suppression.channel, suppression.address)) ?? suppression;
    }
  }

  async get(channel: SuppressionChannel, address: string): Promise<Suppression | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { suppressionKey: suppressionKey(channel, address) },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async suppressedOf(
    addresses: readonly { channel: SuppressionChannel; address: string }[],
  ): Promise<Set<string>> {
    const keys = [...new Set(addresses.map((a) => suppressionKey(a.channel, a.address)))];
    if (keys.length === 0) return new Set();
    const items = await batchGetAll(
      this.client,
      this.table,
      keys.map((key) => ({ suppressionKey: key })),
    );
    return new Set(items.map((item) => item.suppressionKey as string));
  }

  /**
   * Every suppressed address as a `channel#address` key, or undefined once more than `limit` are
   * read (the scan stops at its next pages). Read consistently, as suppressedOf reads, so both
   * give the same answer.
   */
  async allKeys(limit: number): Promise<Set<string> | undefined> {
    const keys = new Set<string>();
    await parallelScan(
      this.client,
      { TableName: this.table, ProjectionExpression: 'suppressionKey', ConsistentRead: true },
      SUPPRESSION_SCAN_SEGMENTS,
      (items) => {
        for (const item of items) keys.add(item.suppressionKey as string);
      },
      { stop: () => keys.size > limit },
    );
    return keys.size > limit ? undefined : keys;
  }

  async remove(channel: SuppressionChannel, address: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { suppressionKey: suppressionKey(channel, address) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async list(limit: number, cursor?: string): Promise<{ items: Suppression[]; cursor?: string }> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.table,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: { suppressionKey: cursor } } : {}),
      }),
    );
    const next = page.LastEvaluatedKey?.suppressionKey as string | undefined;
    return { items: (page.Items ?? []).map(fromItem), ...(next ? { cursor: next } : {}) };
  }
}
