import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../shared/batch-get-all';
import { IDENTIFIER_KINDS, type IdentifierKind, type Profile } from './profile';
import {
  IdentifierTakenError,
  InvalidCursorError,
  type ProfilePage,
  type ProfileStore,
  VersionMismatchError,
} from './profile-store';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const identifierKey = (kind: IdentifierKind, value: string): string => `${kind}#${value}`;

const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string): Record<string, unknown> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof key?.profileId !== 'string' || Object.keys(key).length !== 1) throw new Error('bad key');
    return key;
  } catch {
    throw new InvalidCursorError('the cursor is not one this API returned');
  }
};

/** An attribute of a cancelled transaction's item, which comes back in the low-level format. */
const rawString = (item: Record<string, unknown> | undefined, name: string): string | undefined => {
  const value = item?.[name] as { S?: string } | string | undefined;
  return typeof value === 'string' ? value : value?.S;
};

/**
 * Attributes other writers maintain on the profile item without bumping its version (purchase
 * aggregates, reactivation contacts, scores and their index keys): a profile write never sets or
 * removes them, so it cannot put back a value it read before that writer's change.
 */
const FOREIGN_ATTRIBUTES = new Set([
  'profileId',
  'purchases',
  'lastReactivationAt',
  'scores',
  'scoreLifecycleTier',
  'scoreCell',
  'scoreRank',
]);

/** An update of an existing profile: set what `next` holds, remove what it dropped, leave the rest. */
const profileUpdate = (tableName: string, next: Profile, previous: Profile) => {
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

/**
 * Profiles in one table, uniqueness markers (`email#…`, `phone#…`, `externalId#…`) in another,
 * always written together in one transaction with conditions: never check-then-write.
 */
export class DynamoDbProfileStore implements ProfileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
    private readonly identifiersTable: string,
  ) {}

  async get(profileId: string): Promise<Profile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.profilesTable, Key: { profileId }, ConsistentRead: true }),
    );
    return Item as Profile | undefined;
  }

  async findBy(kind: IdentifierKind, value: string): Promise<Profile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.identifiersTable, Key: { identifier: identifierKey(kind, value) } }),
    );
    const profileId = Item?.profileId as string | undefined;
    if (!profileId) return undefined;
    const profile = await this.get(profileId);
    // A marker whose profile changed identifier since is stale for this look-up.
    return profile && profile[kind] === value ? profile : undefined;
  }

  async getMany(profileIds: readonly string[]): Promise<Map<string, Profile>> {
    const items = await batchGetAll(
      this.client,
      this.profilesTable,
      [...new Set(profileIds)].map((profileId) => ({ profileId })),
    );
    return new Map(items.map((item) => [item.profileId as string, item as unknown as Profile]));
  }

  async ownersOf(identifierKeys: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(
      this.client,
      this.identifiersTable,
      [...new Set(identifierKeys)].map((identifier) => ({ identifier })),
    );
    return new Map(items.map((item) => [item.identifier as string, item.profileId as string]));
  }

  async save(next: Profile, previous: Profile | undefined): Promise<void> {
    const { items, failure } = this.saveActions(next, previous);
    await this.transact(items, failure);
  }

  async saveMany(changes: readonly { next: Profile; previous: Profile | undefined }[]): Promise<void> {
    // A transaction holds at most 100 actions and may not touch one item twice.
    let group: {
      items: TransactItem[];
      failures: ((i: number, item?: Record<string, unknown>) => Promise<Error | undefined>)[];
      keys: Set<string>;
    } = {
      items: [],
      failures: [],
      keys: new Set(),
    };
    const groups = [group];
    for (const { next, previous } of changes) {
      const { items, failure, keys } = this.saveActions(next, previous);
      if (group.items.length + items.length > 100 || keys.some((k) => group.keys.has(k))) {
        group = { items: [], failures: [], keys: new Set() };
        groups.push(group);
      }
      group.items.push(...items);
      for (let i = 0; i < items.length; i++) group.failures.push((_index, item) => failure(i, item));
      for (const k of keys) group.keys.add(k);
    }
    // Groups share no item, so they can be written side by side.
    const pending = groups.filter((g) => g.items.length > 0);
    const results = await Promise.allSettled(
      pending.map((g) => this.transact(g.items, (index, item) => g.failures[index]!(index, item))),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  /** The actions that save one profile, what a failed condition of each means, and the keys touched. */
  private saveActions(next: Profile, previous: Profile | undefined) {
    const items: TransactItem[] = [
      previous
        ? { Update: profileUpdate(this.profilesTable, next, previous) }
        : {
            Put: {
              TableName: this.profilesTable,
              Item: next,
              ConditionExpression: 'attribute_not_exists(profileId)',
            },
          },
    ];
    const keys = [`profile#${next.profileId}`];
    const markerKinds: (IdentifierKind | undefined)[] = [undefined];
    for (const kind of IDENTIFIER_KINDS) {
      const before = previous?.[kind];
      const after = next[kind];
      if (after && after !== before) {
        markerKinds.push(kind);
        keys.push(identifierKey(kind, after));
        items.push({
          Put: {
            TableName: this.identifiersTable,
            Item: { identifier: identifierKey(kind, after), profileId: next.profileId, kind },
            ConditionExpression: 'attribute_not_exists(identifier) OR profileId = :pid',
            ExpressionAttributeValues: { ':pid': next.profileId },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        });
      }
      if (before && before !== after) {
        markerKinds.push(undefined);
        keys.push(identifierKey(kind, before));
        items.push({
          Delete: {
            TableName: this.identifiersTable,
            Key: { identifier: identifierKey(kind, before) },
            ConditionExpression: 'attribute_not_exists(identifier) OR profileId = :pid',
            ExpressionAttributeValues: { ':pid': next.profileId },
          },
        });
      }
    }
    const failure = async (
      index: number,
      item: Record<string, unknown> | undefined,
    ): Promise<Error | undefined> => {
      const kind = markerKinds[index];
      if (index === 0) return new VersionMismatchError(next.profileId);
      if (kind) {
        const owner =
          rawString(item, 'profileId') ??
          ((
            await this.client.send(
              new GetCommand({
                TableName: this.identifiersTable,
                Key: { identifier: identifierKey(kind, next[kind]!) },
              }),
            )
          ).Item?.profileId as string | undefined) ??
          'unknown';
        return new IdentifierTakenError(kind, owner);
      }
      return undefined;
    };
    return { items, failure, keys };
  }

  async delete(profile: Profile): Promise<void> {
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.profilesTable,
          Key: { profileId: profile.profileId },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': profile.version },
        },
      },
      ...IDENTIFIER_KINDS.flatMap((kind): TransactItem[] => {
        const value = profile[kind];
        return value
          ? [
              {
                Delete: {
                  TableName: this.identifiersTable,
                  Key: { identifier: identifierKey(kind, value) },
                  ConditionExpression: 'attribute_not_exists(identifier) OR profileId = :pid',
                  ExpressionAttributeValues: { ':pid': profile.profileId },
                },
              },
            ]
          : [];
      }),
    ];
    await this.transact(items, async (index) =>
      index === 0 ? new VersionMismatchError(profile.profileId) : undefined,
    );
  }

  async list(limit: number, cursor?: string): Promise<ProfilePage> {
    const { Items, LastEvaluatedKey } = await this.client.send(
      new ScanCommand({
        TableName: this.profilesTable,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
      }),
    );
    return {
      items: (Items ?? []) as Profile[],
      ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}),
    };
  }

  async *scanAll(): AsyncIterable<Profile[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.profilesTable,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      yield (page.Items ?? []) as Profile[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
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
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
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
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * Runs a transaction; a failed condition becomes the domain error `failure` names for that
   * action, and a transaction conflict (a concurrent transaction on the same items) is retried.
   */
  private async transact(
    items: TransactItem[],
    failure: (index: number, item: Record<string, unknown> | undefined) => Promise<Error | undefined>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
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
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
      }
    }
  }
}
