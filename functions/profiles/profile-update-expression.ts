import type { Profile } from './profile';

/**
 * Attributes other writers maintain on the profile item without bumping its version (purchase
 * aggregates, reactivation contacts, scores and their index keys): a profile write never sets or
 * removes them, so it cannot put back a value it read before that writer's change.
 */
export const FOREIGN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'profileId',
  'purchases',
  'activity',
  'activityCount',
  'lastReactivationAt',
  'contactLog',
  'scores',
  'scoreLifecycleTier',
  'scoreCell',
  'scoreRank',
]);

/**
 * The DynamoDB update of an existing profile, on the condition that it is still at `previous`'s
 * version: set what `next` holds, remove what it dropped, leave the rest (FOREIGN_ATTRIBUTES).
 */
export const profileUpdateExpression = (tableName: string, next: Profile, previous: Profile) => {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': previous.version };
  const sets: string[] = [];
  const removes: string[] = [];
  let i = 0;
  for (const [key, value] of Object.entries(next)) {
    if (FOREIGN_ATTRIBUTES.has(key) || value === undefined) continue;
    names[`#a${i}`] = key;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
    i++;
  }
  for (const key of Object.keys(previous)) {
    if (FOREIGN_ATTRIBUTES.has(key) || (next as unknown as Record<string, unknown>)[key] !== undefined)
      continue;
    names[`#a${i}`] = key;
    removes.push(`#a${i}`);
    i++;
  }
  return {
    TableName: tableName,
    Key: { profileId: next.profileId },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
