import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PagePosition, ScanOptions, SegmentPosition } from '../jobs/scan-position';
import { isConditionFailure } from '../shared/is-condition-failure';
import { parallelScan } from '../shared/parallel-scan';
import type { Profile } from './profile';
import type { ProfileTable } from './profile-store';

/**
 * The profile operations that need the profiles table alone: no identifier marker is read or moved.
 * Functions granted only the profiles table (the quality report, unsubscribe, the win-back) get this,
 * so they start in AWS with exactly the environment their grants give them.
 */
export class DynamoDbProfileTable implements ProfileTable {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
    private readonly scanSegments = 4,
  ) {}

  async get(profileId: string): Promise<Profile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.profilesTable, Key: { profileId }, ConsistentRead: true }),
    );
    return Item as Profile | undefined;
  }

  async scanAttributes<K extends keyof Profile>(
    attributes: readonly K[],
    onPage: (profiles: Pick<Profile, K>[], after: PagePosition) => void | Promise<void>,
    options?: ScanOptions,
  ): Promise<SegmentPosition[]> {
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    return parallelScan(
      this.client,
      {
        TableName: this.profilesTable,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
      },
      this.scanSegments,
      (items, after) => onPage(items as Pick<Profile, K>[], after),
      options,
    );
  }

  async markReactivated(profileId: string, at: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.profilesTable,
          Key: { profileId },
          UpdateExpression: 'SET lastReactivationAt = :at',
          ConditionExpression: 'attribute_exists(profileId)',
          ExpressionAttributeValues: { ':at': at },
        }),
      )
      .catch((error: unknown) => {
        // Erased between selection and send: nothing to record.
        if (!isConditionFailure(error)) throw error;
      });
  }

  async setConsent(
    profileId: string,
    channel: 'email' | 'sms',
    consent: NonNullable<Profile['consent']>['email'],
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.profilesTable,
          Key: { profileId },
          UpdateExpression: 'SET consent.#channel = :consent, version = version + :one, updatedAt = :now',
          // Idempotent: a second identical change (a double click) leaves version and timestamps alone.
          ConditionExpression:
            'attribute_exists(profileId) AND (attribute_not_exists(consent.#channel) OR consent.#channel.#status <> :status)',
          ExpressionAttributeNames: { '#channel': channel, '#status': 'status' },
          ExpressionAttributeValues: {
            ':consent': consent,
            ':status': consent?.status,
            ':one': 1,
            ':now': new Date().toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
