import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type TransactItem, transactWithRetry } from './transact-with-retry';

/** A refusal carried out of transactWithRetry's failure callback. */
class Refused<R> extends Error {
  constructor(readonly refusal: R) {
    super('refused');
  }
}

/**
 * Runs a transaction whose failed conditions are answers, not errors: `explain` says what the
 * failure of the action at `index` means (`item`: the item as it stood, when the action asked for
 * it), and that is returned; undefined when the transaction was written. Conflicts are retried.
 */
export const transactOrRefuse = async <R>(
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  explain: (index: number, item: Record<string, unknown> | undefined) => R,
): Promise<R | undefined> => {
  try {
    await transactWithRetry(client, items, async (index, item) => new Refused(explain(index, item)));
    return undefined;
  } catch (error) {
    if (error instanceof Refused) return error.refusal as R;
    throw error;
  }
};
