import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { PagePosition, ScanOptions, SegmentPosition } from '../jobs/scan-position';
import { batchGetAll } from '../shared/batch-get-all';
import { batchWriteAll } from '../shared/batch-write-all';
import {
  type ConditionFailure,
  cancelledItemString,
  type TransactItem,
  transactWithRetry,
} from '../shared/transact-with-retry';
import { DynamoDbIdentifierMarkers } from './dynamodb-identifier-markers';
import { DynamoDbProfileTable } from './dynamodb-profile-table';
import { identifierKey } from './identifier-key';
import { IDENTIFIER_KINDS, type IdentifierKind, type Profile } from './profile';
import {
  type ClaimFirst,
  IdentifierTakenError,
  InvalidCursorError,
  type ProfilePage,
  type ProfileStore,
  VersionMismatchError,
} from './profile-store';
import { profileUpdateExpression } from './profile-update-expression';

const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string): Record<string, unknown> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A key DynamoDB would refuse (an empty or oversized id) is a 400 here, not its 500.
    const id = key?.profileId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 128 || Object.keys(key).length !== 1)
      throw new Error('bad key');
    return key;
  } catch {
    throw new InvalidCursorError('the cursor is not one this API returned');
  }
};

/**
 * Profiles in one table, uniqueness markers (`email#…`, `phone#…`, `externalId#…`) in another,
 * written with conditions, never check-then-write: together in one transaction, or, for the new
 * profiles of an import (`claimFirst`), the markers claimed first and the profile put after them.
 */
export class DynamoDbProfileStore implements ProfileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
    identifiersTable: string,
    scanSegments = 4,
  ) {
    this.table = new DynamoDbProfileTable(client, profilesTable, scanSegments);
    this.markers = new DynamoDbIdentifierMarkers(client, identifiersTable, profilesTable, this.table);
  }

  /** What needs the profiles table alone. */
  private readonly table: DynamoDbProfileTable;
  /** The uniqueness markers in the identifiers table. */
  private readonly markers: DynamoDbIdentifierMarkers;

  get(profileId: string): Promise<Profile | undefined> {
    return this.table.get(profileId);
  }

  async findBy(kind: IdentifierKind, value: string): Promise<Profile | undefined> {
    const profileId = await this.markers.ownerOf(kind, value);
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

  ownersOf(identifierKeys: readonly string[]): Promise<Map<string, string>> {
    return this.markers.ownersOf(identifierKeys);
  }

  async save(next: Profile, previous: Profile | undefined): Promise<void> {
    const { items, failure } = this.saveActions(next, previous);
    for (let released = 0; ; ) {
      try {
        await transactWithRetry(this.client, items, failure);
        return;
      } catch (error) {
        // An abandoned marker in the way is removed, and the save tried again (once per identifier).
        if (
          !(error instanceof IdentifierTakenError) ||
          released >= IDENTIFIER_KINDS.length ||
          !(await this.markers.releaseAbandoned(error.kind, next[error.kind]!, error.ownerProfileId))
        )
          throw error;
        released++;
      }
    }
  }

  async saveMany(
    changes: readonly { next: Profile; previous: Profile | undefined }[],
    options: { readonly claimFirst?: ClaimFirst } = {},
  ): Promise<void> {
    if (!options.claimFirst) return this.saveInTransactions(changes);
    const creates = changes.flatMap((c) => (c.previous ? [] : [c.next]));
    // Leftovers first (one may stand in the way of a key an update below takes), then the updates
    // (one may free a key a create below takes), then the creates.
    await this.markers.releaseLeftovers(options.claimFirst.leftovers, creates);
    await this.saveInTransactions(changes.filter((c) => c.previous));
    await this.createClaimingFirst(creates);
  }

  private async saveInTransactions(
    changes: readonly { next: Profile; previous: Profile | undefined }[],
  ): Promise<void> {
    // A transaction holds at most 100 actions and may not touch one item twice.
    let group: {
      items: TransactItem[];
      failures: ConditionFailure[];
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
      pending.map((g) =>
        transactWithRetry(this.client, g.items, (index, item) => g.failures[index]!(index, item)),
      ),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  /**
   * Creates profiles that do not exist yet, markers first (ClaimFirst). Why this keeps every
   * identifier on at most one profile, with concurrent writers (PUT /profiles, events, other imports):
   * - a marker is only ever put on the condition that it is absent or already points at the same
   *   profile (here and in every transaction of `save`), so no write takes a marker from a profile;
   * - a profile is written only once all its markers point at it, and a marker pointing at a profile
   *   is only removed by that profile's own conditional transactions (a change of identifier, an
   *   erasure), for a profile never written by its creator (markers.releaseLeftovers, .release), or
   *   by anyone once it is provably abandoned: its profile holds another value, or never appeared
   *   within ABANDONED_CLAIM_MS, far longer than a creator takes between claiming and writing
   *   (markers.releaseAbandoned, in dynamodb-identifier-markers.ts);
   * - so when the profile appears, no other profile can hold its identifiers, and none can take them
   *   later. Until it appears, its markers turn other writers away (IdentifierTakenError), as the
   *   finished profile would a moment later.
   * The profile item itself is a plain put: its id is one only the caller creates (ClaimFirst), and
   * every other writer of a profile item needs the item to exist (version or existence conditions).
   * A profile whose identifier someone else holds is not written; its claims are released and the
   * error thrown once the others are written, as `saveInTransactions` would, for the caller to plan
   * again.
   */
  private async createClaimingFirst(profiles: readonly Profile[]): Promise<void> {
    // Each profile's claims in one transaction (up to 100 actions): a transaction that fails on a
    // taken marker is retried without that profile, so a profile's markers are claimed all or none.
    const groups: Profile[][] = [[]];
    let actions = 0;
    for (const profile of profiles) {
      const n = IDENTIFIER_KINDS.filter((kind) => profile[kind]).length;
      if (actions + n > 100) {
        groups.push([]);
        actions = 0;
      }
      groups[groups.length - 1]!.push(profile);
      actions += n;
    }
    const taken: { profile: Profile; error: IdentifierTakenError }[] = [];
    await Promise.all(
      groups.map(async (group) => {
        const claimed = await this.markers.claim(group, taken);
        await this.putProfiles(claimed);
      }),
    );
    if (taken.length === 0) return;
    // An earlier attempt may have claimed some of their markers: give back whatever still points at them.
    await Promise.all(taken.map(({ profile }) => this.markers.releaseAll(profile)));
    throw taken[0]!.error;
  }

  /** Plain batch puts of new profiles whose markers all point at them (see createClaimingFirst). */
  private async putProfiles(profiles: readonly Profile[]): Promise<void> {
    const requests = profiles.map((p) => ({ PutRequest: { Item: p as unknown as Record<string, unknown> } }));
    const slices: (typeof requests)[] = [];
    for (let i = 0; i < requests.length; i += 25) slices.push(requests.slice(i, i + 25));
    await Promise.all(slices.map((slice) => batchWriteAll(this.client, this.profilesTable, slice)));
  }

  /** The actions that save one profile, what a failed condition of each means, and the keys touched. */
  private saveActions(next: Profile, previous: Profile | undefined) {
    const items: TransactItem[] = [
      previous
        ? { Update: profileUpdateExpression(this.profilesTable, next, previous) }
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
        items.push(this.markers.putItem(kind, after, next.profileId));
      }
      if (before && before !== after) {
        markerKinds.push(undefined);
        keys.push(identifierKey(kind, before));
        items.push(this.markers.deleteItem(kind, before, next.profileId));
      }
    }
    const failure: ConditionFailure = async (index, item) => {
      const kind = markerKinds[index];
      if (index === 0) return new VersionMismatchError(next.profileId);
      if (kind) {
        const owner =
          cancelledItemString(item, 'profileId') ??
          (await this.markers.ownerOf(kind, next[kind]!)) ??
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
        return value ? [this.markers.deleteItem(kind, value, profile.profileId)] : [];
      }),
    ];
    await transactWithRetry(this.client, items, async (index) =>
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

  scanAttributes<K extends keyof Profile>(
    attributes: readonly K[],
    onPage: (profiles: Pick<Profile, K>[], after: PagePosition) => void | Promise<void>,
    options?: ScanOptions,
  ): Promise<SegmentPosition[]> {
    return this.table.scanAttributes(attributes, onPage, options);
  }

  markReactivated(profileId: string, at: string): Promise<void> {
    return this.table.markReactivated(profileId, at);
  }

  setConsent(
    profileId: string,
    channel: 'email' | 'sms',
    consent: NonNullable<Profile['consent']>['email'],
  ): Promise<boolean> {
    return this.table.setConsent(profileId, channel, consent);
  }
}
