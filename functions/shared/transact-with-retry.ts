import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * What a failed condition of the action at `index` means: a domain error to throw, or undefined
 * when that action's failure says nothing by itself. `item` is the item as it stood, when the
 * action asked for it (`ReturnValuesOnConditionCheckFailure`), in the low-level format.
 */
export type ConditionFailure = (
  index: number,
  item: Record<string, unknown> | undefined,
) => Promise<Error | undefined>;

/**
 * Runs a transaction; a failed condition becomes the domain error `failure` names for that
 * action, and a transaction conflict (a concurrent transaction on the same items) is retried with
 * jittered back-off, up to four attempts.
 */
export const transactWithRetry = async (
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  failure: ConditionFailure,
): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      for (const [index, reason] of reasons.entries()) {
        if (reason.Code === 'ConditionalCheckFailed') {
          const domainError = await failure(index, reason.Item as Record<string, unknown> | undefined);
          if (domainError) throw domainError;
        }
      }
      const conflictOnly = reasons.every(
        (r) => r.Code === 'None' || r.Code === 'TransactionConflict' || !r.Code,
      );
      if (!conflictOnly || attempt >= 4) throw error;
      await sleep(20 * 2 ** attempt * Math.random());
    }
  }
};

/**
 * A string attribute of a cancelled transaction's item: it comes back in the low-level format
 * (`{ S: '…' }`), which the document client does not unmarshal.
 */
export const cancelledItemString = (
  item: Record<string, unknown> | undefined,
  name: string,
): string | undefined => {
  const value = item?.[name] as { S?: string } | string | undefined;
  return typeof value === 'string' ? value : value?.S;
};
