/**
 * A DynamoDB write refused by its condition (`ConditionalCheckFailedException`), matched by name
 * rather than class so that an error from any copy of the SDK, or a test's fake, matches too.
 */
export const isConditionFailure = (error: unknown): boolean =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
