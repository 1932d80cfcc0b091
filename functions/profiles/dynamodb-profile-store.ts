import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../shared/batch-get-all';
import { batchWriteAll } from '../shared/batch-write-all';
import { isConditionFailure } from '../shared/is-condition-failure';
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

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A claimed marker whose profile has not appeared this long after is abandoned: its creator would
 * have written the profile within the same function run, and no function runs longer than 15 minutes.
 */
export const ABANDONED_CLAIM_MS = 60 * 60 * 1000;

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
 * written with conditions, never check-then-write: together in one transaction, or, for the new
 * profiles of an import (`claimFirst`), the markers claimed first and the profile put after them.
 */
export class DynamoDbProfileStore implements ProfileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
    private readonly identifiersTable: string,
    scanSegments = 4,
  ) {
    this.table = new DynamoDbProfileTable(client, profilesTable, scanSegments);
  }

  /** What needs the profiles table alone. */
  private readonly table: DynamoDbProfileTable;

  get(profileId: string): Promise<Profile | undefined> {
    return this.table.get(profileId);
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
    for (let released = 0; ; ) {
      try {
        await this.transact(items, failure);
        return;
      } catch (error) {
        // An abandoned marker in the way is removed, and the save tried again (once per identifier).
        if (
          !(error instanceof IdentifierTakenError) ||
          released >= IDENTIFIER_KINDS.length ||
          !(await this.releaseAbandonedMarker(error.kind, next[error.kind]!, error.ownerProfileId))
        )
          throw error;
        released++;
      }
    }
  }

  /**
   * Deletes the marker of `value` if it points at `owner` and `owner` does not hold `value`: either
   * the owner exists with another value (a half-done write left the marker behind), or it never
   * appeared and was claimed more than ABANDONED_CLAIM_MS ago (an import that died between claiming
   * and writing, and was never resumed). Both checks sit in the transaction that deletes it. True
   * when the marker went, so the caller can try again; false when the owner holds it, or may still.
   */
  private async releaseAbandonedMarker(kind: IdentifierKind, value: string, owner: string): Promise<boolean> {
    if (!value || owner === 'unknown') return false;
    const ownerProfile = await this.get(owner);
    if (ownerProfile?.[kind] === value) return false;
    const check = ownerProfile
      ? {
          ConditionExpression:
            'attribute_exists(profileId) AND (attribute_not_exists(#field) OR #field <> :value)',
          ExpressionAttributeNames: { '#field': kind },
          ExpressionAttributeValues: { ':value': value },
        }
      : { ConditionExpression: 'attribute_not_exists(profileId)' };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: this.profilesTable, Key: { profileId: owner }, ...check } },
            {
              Delete: {
                TableName: this.identifiersTable,
                Key: { identifier: identifierKey(kind, value) },
                ...(ownerProfile
                  ? {
                      ConditionExpression: 'profileId = :owner',
                      ExpressionAttributeValues: { ':owner': owner },
                    }
                  : {
                      ConditionExpression:
                        'profileId = :owner AND (attribute_not_exists(claimedAt) OR claimedAt < :before)',
                      ExpressionAttributeValues: {
                        ':owner': owner,
                        ':before': new Date(Date.now() - ABANDONED_CLAIM_MS).toISOString(),
                      },
                    }),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
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
    await this.releaseLeftovers(options.claimFirst.leftovers, creates);
    await this.saveInTransactions(changes.filter((c) => c.previous));
    await this.createClaimingFirst(creates);
  }

  private async saveInTransactions(
    changes: readonly { next: Profile; previous: Profile | undefined }[],
  ): Promise<void> {
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

  /**
   * Releases the markers an earlier attempt claimed for profiles it never wrote, unless this plan
   * creates the same profile with the same identifier again (its claim below finds it already made).
   * Each delete is conditional on the marker still pointing at that absent profile, whose id only the
   * caller creates (ClaimFirst): nobody else can have made a profile of it meanwhile.
   */
  private async releaseLeftovers(leftovers: ReadonlyMap<string, string>, creates: readonly Profile[]) {
    if (leftovers.size === 0) return;
    const reclaimed = new Set(
      creates.flatMap((p) =>
        IDENTIFIER_KINDS.flatMap((kind) =>
          p[kind] ? [`${identifierKey(kind, p[kind]!)}\n${p.profileId}`] : [],
        ),
      ),
    );
    await Promise.all(
      [...leftovers]
        .filter(([key, profileId]) => !reclaimed.has(`${key}\n${profileId}`))
        .map(([key, profileId]) => this.releaseMarker(key, profileId)),
    );
  }

  /** Deletes a marker if it still points at `profileId`. */
  private async releaseMarker(identifier: string, profileId: string): Promise<void> {
    await this.client
      .send(
        new DeleteCommand({
          TableName: this.identifiersTable,
          Key: { identifier },
          ConditionExpression: 'profileId = :pid',
          ExpressionAttributeValues: { ':pid': profileId },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  /**
   * Creates profiles that do not exist yet, markers first (ClaimFirst). Why this keeps every
   * identifier on at most one profile, with concurrent writers (PUT /profiles, events, other imports):
   * - a marker is only ever put on the condition that it is absent or already points at the same
   *   profile (here and in every transaction of `save`), so no write takes a marker from a profile;
   * - a profile is written only once all its markers point at it, and a marker pointing at a profile
   *   is only removed by that profile's own conditional transactions (a change of identifier, an
   *   erasure), for a profile never written by its creator (releaseLeftovers, releaseMarker), or by
   *   anyone once it is provably abandoned: its profile holds another value, or never appeared within
   *   ABANDONED_CLAIM_MS, far longer than a creator takes between claiming and writing
   *   (releaseAbandonedMarker);
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
        const claimed = await this.claimMarkers(group, taken);
        await this.putProfiles(claimed);
      }),
    );
    if (taken.length === 0) return;
    // An earlier attempt may have claimed some of their markers: give back whatever still points at them.
    await Promise.all(
      taken.flatMap(({ profile }) =>
        IDENTIFIER_KINDS.flatMap((kind) =>
          profile[kind] ? [this.releaseMarker(identifierKey(kind, profile[kind]!), profile.profileId)] : [],
        ),
      ),
    );
    throw taken[0]!.error;
  }

  /**
   * Claims every marker of `profiles` in one transaction; returns the profiles whose markers all
   * point at them. A claim is a put on the condition that the marker is absent: a marker that exists
   * already is either this profile's (claimed by an earlier attempt, kept) or another's (the profile
   * is left out). Either way nothing of that transaction was written, and it is sent again without
   * them. (An absence condition costs DynamoDB Local a third less than `absent OR ours`.)
   */
  private async claimMarkers(
    profiles: readonly Profile[],
    taken: { profile: Profile; error: IdentifierTakenError }[],
  ): Promise<Profile[]> {
    const claims = profiles.flatMap((profile) =>
      IDENTIFIER_KINDS.flatMap((kind) =>
        profile[kind] ? [{ profile, kind, key: identifierKey(kind, profile[kind]!) }] : [],
      ),
    );
    const held = new Set<string>();
    const blocked = new Set<Profile>();
    const claimedAt = new Date().toISOString();
    for (let attempt = 1; ; ) {
      const sending = claims.filter((c) => !held.has(c.key) && !blocked.has(c.profile));
      if (sending.length === 0) break;
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: sending.map(({ profile, kind, key }) => ({
              Put: {
                TableName: this.identifiersTable,
                Item: { identifier: key, profileId: profile.profileId, kind, claimedAt },
                ConditionExpression: 'attribute_not_exists(identifier)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            })),
          }),
        );
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        let settled = false;
        for (const [index, reason] of reasons.entries()) {
          if (reason.Code !== 'ConditionalCheckFailed') continue;
          const { profile, kind, key } = sending[index]!;
          const owner = rawString(reason.Item as Record<string, unknown> | undefined, 'profileId');
          if (owner === undefined) continue; // gone again meanwhile: sent again below
          settled = true;
          if (owner === profile.profileId) held.add(key);
          else if (await this.releaseAbandonedMarker(kind, profile[kind]!, owner))
            continue; // claim it again
          else if (!blocked.has(profile)) {
            blocked.add(profile);
            taken.push({ profile, error: new IdentifierTakenError(kind, owner) });
          }
        }
        if (settled) continue;
        const retryable = reasons.every(
          (r) =>
            r.Code === 'None' ||
            r.Code === 'TransactionConflict' ||
            r.Code === 'ConditionalCheckFailed' ||
            !r.Code,
        );
        if (!retryable || attempt >= 4) throw error;
        await sleep(20 * 2 ** attempt * Math.random());
        attempt++;
      }
    }
    return profiles.filter((p) => !blocked.has(p));
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

  scanAttributes<K extends keyof Profile>(
    attributes: readonly K[],
    onPage: (profiles: Pick<Profile, K>[]) => void | Promise<void>,
  ): Promise<void> {
    return this.table.scanAttributes(attributes, onPage);
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
        await sleep(20 * 2 ** attempt * Math.random());
      }
    }
  }
}
