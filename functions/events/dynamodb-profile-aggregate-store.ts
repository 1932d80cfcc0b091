import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../shared/batch-get-all';
import { isConditionFailure } from '../shared/is-condition-failure';
import type { ProfileActivity, ProfileAggregateStore } from './profile-aggregate-store';

const FIELDS = ['lastPurchaseAt', 'lastActivityAt'] as const;

const activityOf = (item: Record<string, unknown>): ProfileActivity => ({
  ...(item.purchases ? { purchases: item.purchases as ProfileActivity['purchases'] } : {}),
  ...(item.lastPurchaseAt ? { lastPurchaseAt: item.lastPurchaseAt as string } : {}),
  ...(item.lastActivityAt ? { lastActivityAt: item.lastActivityAt as string } : {}),
  ...(item.activity ? { activity: item.activity as ProfileActivity['activity'] } : {}),
  ...(typeof item.activityCount === 'number' ? { activityCount: item.activityCount } : {}),
});

/** The activity fields on the profiles table's items, compared and set with one conditional update. */
export class DynamoDbProfileAggregateStore implements ProfileAggregateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
  ) {}

  async read(profileId: string): Promise<ProfileActivity | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.profilesTable,
        Key: { profileId },
        ConsistentRead: true,
        ProjectionExpression: 'profileId, purchases, lastPurchaseAt, lastActivityAt, activity, activityCount',
      }),
    );
    return Item ? activityOf(Item) : undefined;
  }

  async readMany(profileIds: readonly string[]): Promise<Map<string, ProfileActivity>> {
    const items = await batchGetAll(
      this.client,
      this.profilesTable,
      [...new Set(profileIds)].map((profileId) => ({ profileId })),
    );
    return new Map(items.map((item) => [item.profileId as string, activityOf(item)]));
  }

  async write(profileId: string, expected: ProfileActivity, next: ProfileActivity): Promise<boolean> {
    const conditions = ['attribute_exists(profileId)'];
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    // Aggregates only grow with the events they count: the count read is the version compared.
    if (expected.purchases) {
      conditions.push('purchases.eventCount = :oldCount');
      values[':oldCount'] = expected.purchases.eventCount;
    } else conditions.push('attribute_not_exists(purchases)');
    if (next.purchases) {
      sets.push('purchases = :purchases');
      values[':purchases'] = next.purchases;
    }
    // The activity summary only grows with the events it counts, like the aggregates.
    if (expected.activityCount === undefined) conditions.push('attribute_not_exists(activityCount)');
    else {
      conditions.push('activityCount = :oldActivityCount');
      values[':oldActivityCount'] = expected.activityCount;
    }
    if (next.activity && next.activityCount !== undefined && next.activityCount !== expected.activityCount) {
      sets.push('activity = :activity', 'activityCount = :activityCount');
      values[':activity'] = next.activity;
      values[':activityCount'] = next.activityCount;
    }
    for (const field of FIELDS) {
      const before = expected[field];
      if (before === undefined) conditions.push(`attribute_not_exists(${field})`);
      else {
        conditions.push(`${field} = :old_${field}`);
        values[`:old_${field}`] = before;
      }
      const after = next[field];
      if (after !== undefined && after !== before) {
        sets.push(`${field} = :new_${field}`);
        values[`:new_${field}`] = after;
      }
    }
    if (sets.length === 0) return true;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.profilesTable,
          Key: { profileId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
