import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../shared/batch-get-all';
import { isConditionFailure } from '../shared/is-condition-failure';
import { cancelledItemString, type TransactItem } from '../shared/transact-with-retry';
import { identifierKey } from './identifier-key';
import { IDENTIFIER_KINDS, type IdentifierKind, type Profile } from './profile';
import { IdentifierTakenError, type ProfileTable } from './profile-store';

/**
 * A claimed marker whose profile has not appeared this long after is abandoned: its creator would
 * have written the profile within the same function run, and no function runs longer than 15 minutes.
 */
export const ABANDONED_CLAIM_MS = 60 * 60 * 1000;

/**
 * The uniqueness markers of the identifiers table: one item per identifier key (`email#…`,
 * `phone#…`, `externalId#…`, see identifier-key.ts) naming the profile that holds it. Every write
 * is conditional on who the marker points at, never check-then-write; the profile store puts them
 * in the same transactions as the profiles (`putItem`, `deleteItem`) or claims them first
 * (`claim`), and the rules for when one may go are here (`release*`).
 */
export class DynamoDbIdentifierMarkers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly identifiersTable: string,
    private readonly profilesTable: string,
    /** Reads a profile (consistently), to tell whether a marker's owner still holds its value. */
    private readonly profiles: Pick<ProfileTable, 'get'>,
  ) {}

  /** The profile the marker of `kind`/`value` points at, if there is one. */
  async ownerOf(kind: IdentifierKind, value: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.identifiersTable, Key: { identifier: identifierKey(kind, value) } }),
    );
    return Item?.profileId as string | undefined;
  }

  async ownersOf(identifierKeys: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(
      this.client,
      this.identifiersTable,
      [...new Set(identifierKeys)].map((identifier) => ({ identifier })),
    );
    return new Map(items.map((item) => [item.identifier as string, item.profileId as string]));
  }

  /** A transaction's put of the marker for `profileId`: it must be absent or already point there. */
  putItem(kind: IdentifierKind, value: string, profileId: string): TransactItem {
    return {
      Put: {
        TableName: this.identifiersTable,
        Item: { identifier: identifierKey(kind, value), profileId, kind },
        ConditionExpression: 'attribute_not_exists(identifier) OR profileId = :pid',
        ExpressionAttributeValues: { ':pid': profileId },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** A transaction's delete of `profileId`'s marker: never one that points at another profile. */
  deleteItem(kind: IdentifierKind, value: string, profileId: string): TransactItem {
    return {
      Delete: {
        TableName: this.identifiersTable,
        Key: { identifier: identifierKey(kind, value) },
        ConditionExpression: 'attribute_not_exists(identifier) OR profileId = :pid',
        ExpressionAttributeValues: { ':pid': profileId },
      },
    };
  }

  /**
   * Deletes the marker of `value` if it points at `owner` and `owner` does not hold `value`: either
   * the owner exists with another value (a half-done write left the marker behind), or it never
   * appeared and was claimed more than ABANDONED_CLAIM_MS ago (an import that died between claiming
   * and writing, and was never resumed). Both checks sit in the transaction that deletes it. True
   * when the marker went, so the caller can try again; false when the owner holds it, or may still.
   */
  async releaseAbandoned(kind: IdentifierKind, value: string, owner: string): Promise<boolean> {
    if (!value || owner === 'unknown') return false;
    const ownerProfile = await this.profiles.get(owner);
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

  /**
   * Releases the markers an earlier attempt claimed for profiles it never wrote, unless this plan
   * creates the same profile with the same identifier again (its claim finds it already made).
   * Each delete is conditional on the marker still pointing at that absent profile, whose id only the
   * caller creates (ClaimFirst): nobody else can have made a profile of it meanwhile.
   */
  async releaseLeftovers(leftovers: ReadonlyMap<string, string>, creates: readonly Profile[]): Promise<void> {
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
        .map(([key, profileId]) => this.release(key, profileId)),
    );
  }

  /** Deletes a marker if it still points at `profileId`. */
  async release(identifier: string, profileId: string): Promise<void> {
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

  /** Releases whatever markers still point at `profile` (claims it will not write after all). */
  async releaseAll(profile: Profile): Promise<void> {
    await Promise.all(
      IDENTIFIER_KINDS.flatMap((kind) =>
        profile[kind] ? [this.release(identifierKey(kind, profile[kind]!), profile.profileId)] : [],
      ),
    );
  }

  /**
   * Claims every marker of `profiles` in one transaction; returns the profiles whose markers all
   * point at them, and adds the others to `taken` with the error that keeps them out. A claim is a
   * put on the condition that the marker is absent: a marker that exists already is either this
   * profile's (claimed by an earlier attempt, kept) or another's (the profile is left out, unless
   * the marker is abandoned and can be released). Either way nothing of that transaction was
   * written, and it is sent again without them. (An absence condition costs DynamoDB Local a third
   * less than `absent OR ours`.) `taken` is shared by the caller's parallel claims.
   */
  async claim(
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
          const owner = cancelledItemString(reason.Item as Record<string, unknown> | undefined, 'profileId');
          if (owner === undefined) continue; // gone again meanwhile: sent again below
          settled = true;
          if (owner === profile.profileId) held.add(key);
          else if (await this.releaseAbandoned(kind, profile[kind]!, owner))
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
}
