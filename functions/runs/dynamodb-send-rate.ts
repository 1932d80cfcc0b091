import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageChannel } from '../campaigns/recipient-decision';
import { isConditionFailure } from '../shared/is-condition-failure';
import type { Grant, SendRate } from './send-rate';

/** `used` of the item a failed condition returns (raw attribute values: the document client leaves errors alone). */
const usedOf = (error: unknown): number => {
  const used = (error as { Item?: Record<string, unknown> }).Item?.['used'];
  if (typeof used === 'number') return used;
  const raw = (used as { N?: string } | undefined)?.N;
  return raw === undefined ? Number.NaN : Number(raw);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The rate windows in the jobs table: `RATE#<channel>` / `<epoch second>`, `used` counting the
 * tokens granted in that second, expired by TTL an hour later. A grant is one conditional update
 * (`used + n <= limit`); when fewer than `n` are left it takes what is left, and when none are it
 * waits for the next second.
 */
export class DynamoDbSendRate implements SendRate {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Messages per second allowed now on the channel (the account's and the configured cap). */
    private readonly limitOf: (channel: MessageChannel) => Promise<number>,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(channel: MessageChannel, wanted: number): Promise<Grant> {
    for (;;) {
      const limit = Math.floor(await this.limitOf(channel));
      if (limit < 1) throw new Error(`the ${channel} sending rate is ${limit}/s: nothing can be sent`);
      const window = Math.floor(this.now() / 1000);
      let n = Math.min(wanted, limit);
      while (n >= 1) {
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk: `RATE#${channel}`, sk: String(window) },
              UpdateExpression: 'SET used = if_not_exists(used, :zero) + :n, expiresAt = :expires',
              ConditionExpression: 'attribute_not_exists(used) OR used <= :most',
              ExpressionAttributeValues: {
                ':zero': 0,
                ':n': n,
                ':most': limit - n,
                ':expires': window + 3600,
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          );
          return { window, granted: n };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          const used = usedOf(error);
          // What is left of this second, when the store says; else try half as many.
          n = Number.isFinite(used) ? Math.min(n - 1, limit - used) : Math.floor(n / 2);
        }
      }
      await sleep(1000 - (this.now() % 1000) + Math.floor(Math.random() * 20));
    }
  }
}
