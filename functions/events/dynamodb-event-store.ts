import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../shared/batch-write-all';
import { isConditionFailure } from '../shared/is-condition-failure';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { queryAll, queryPages } from '../shared/query-all';
import type { EventLog } from './event-log';
import type { StoredEvent } from './stored-event';

/** A transaction holds at most 100 actions. */
const MAX_TRANSACTION_ITEMS = 100;
const CONCURRENCY = 16;

export class DynamoDbEventStore implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(event: StoredEvent): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: event,
          ConditionExpression: 'attribute_not_exists(eventKey)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The events in transactions of conditional puts (up to 100 each, all or nothing): one request for
   * a batch of new events. A transaction cancelled because some events exist (their condition failed)
   * wrote nothing: those are reported as present and the others tried again; when a cancellation
   * names no existing event (a concurrent transaction on the same item), each remaining event is put
   * on its own, conditionally, as `putIfAbsent` does.
   */
  async putAllIfAbsent(events: readonly StoredEvent[]): Promise<boolean[]> {
    const written = events.map(() => false);
    const chunks: number[][] = [];
    for (let i = 0; i < events.length; i += MAX_TRANSACTION_ITEMS)
      chunks.push(events.slice(i, i + MAX_TRANSACTION_ITEMS).map((_, j) => i + j));
    await Promise.all(
      chunks.map(async (chunk) => {
        let pending = chunk;
        while (pending.length > 1) {
          const cancelled = await this.putAllOrNothing(pending.map((i) => events[i]!));
          if (!cancelled) {
            for (const i of pending) written[i] = true;
            return;
          }
          const rest = pending.filter((_, k) => cancelled[k] !== 'ConditionalCheckFailed');
          if (rest.length === pending.length) break;
          pending = rest;
        }
        await mapWithConcurrency(pending, CONCURRENCY, async (i) => {
          written[i] = await this.putIfAbsent(events[i]!);
        });
      }),
    );
    return written;
  }

  /** Undefined when every event was written; else the cancellation reason of each (none written). */
  private async putAllOrNothing(events: readonly StoredEvent[]): Promise<(string | undefined)[] | undefined> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: events.map((event) => ({
            Put: {
              TableName: this.tableName,
              Item: event,
              ConditionExpression: 'attribute_not_exists(eventKey)',
            },
          })),
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      return events.map((_, k) => reasons[k]?.Code);
    }
  }

  async putAll(events: readonly StoredEvent[]): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      events.map((event) => ({ PutRequest: { Item: event as unknown as Record<string, unknown> } })),
    );
  }

  async list(
    profileId: string,
    options: { readonly types?: readonly string[] } = {},
  ): Promise<StoredEvent[]> {
    const types = options.types ?? [];
    const filter =
      types.length > 0
        ? {
            FilterExpression: `#type IN (${types.map((_, i) => `:t${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#type': 'type' },
          }
        : {};
    const values: Record<string, unknown> = { ':p': profileId };
    types.forEach((t, i) => {
      values[`:t${i}`] = t;
    });
    return (await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'profileId = :p',
      ExpressionAttributeValues: values,
      ConsistentRead: true,
      ...filter,
    })) as unknown as StoredEvent[];
  }

  async deleteAllFor(profileId: string): Promise<number> {
    let removed = 0;
    for await (const page of queryPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'profileId = :p',
      ExpressionAttributeValues: { ':p': profileId },
      ProjectionExpression: 'profileId, eventKey',
    })) {
      const keys = page.map((item) => ({ DeleteRequest: { Key: item } }));
      await batchWriteAll(this.client, this.tableName, keys);
      removed += keys.length;
    }
    return removed;
  }
}
