import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactLog } from '../campaigns/frequency-cap';
import type { Profile } from '../profiles/profile';
import { batchGetAll } from '../shared/batch-get-all';
import { isConditionFailure } from '../shared/is-condition-failure';
import type { RecipientProfiles } from './recipient-profiles';

export class DynamoDbRecipientProfiles implements RecipientProfiles {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
  ) {}

  async getMany(profileIds: readonly string[]): Promise<Map<string, Profile>> {
    const items = await batchGetAll(
      this.client,
      this.profilesTable,
      [...new Set(profileIds)].map((profileId) => ({ profileId })),
      { consistentRead: true },
    );
    return new Map(items.map((item) => [String(item['profileId']), item as unknown as Profile]));
  }

  async writeContactLog(profileId: string, log: ContactLog, previousVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.profilesTable,
          Key: { profileId },
          UpdateExpression: 'SET contactLog = :log',
          ConditionExpression:
            previousVersion === 0
              ? 'attribute_exists(profileId) AND (attribute_not_exists(contactLog) OR contactLog.version = :previous)'
              : 'attribute_exists(profileId) AND contactLog.version = :previous',
          ExpressionAttributeValues: { ':log': log, ':previous': previousVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
