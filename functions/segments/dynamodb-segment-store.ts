import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '../shared/query-partition';
import { transactOrRefuse } from '../shared/transact-or-refuse';
import { cancelledItemString, type TransactItem } from '../shared/transact-with-retry';
import { MAX_SEGMENTS, type Segment } from './segment';
import type { SegmentStore, SegmentWriteRefusal } from './segment-store';

// Key layout in the campaigns table (see lib/definition.ts):
//   SEGMENT / <segmentId>        the segment, `usedBy` a string set of the ids referring to it
//   SEGMENT_NAME / <lower name>  the name's owner, so two segments never share a name
// All segments share one partition: a business has hundreds, not millions, and lists them whole.

const PK = 'SEGMENT';
const NAME_PK = 'SEGMENT_NAME';
const nameKey = (name: string) => ({ pk: NAME_PK, sk: name.toLowerCase() });

const fromItem = (item: Record<string, unknown>): Segment => {
  const { pk: _pk, sk: _sk, usedBy, ...rest } = item;
  return { ...(rest as Omit<Segment, 'usedBy'>), usedBy: usedBy instanceof Set ? [...usedBy].sort() : [] };
};

const toItem = (segment: Segment): Record<string, unknown> => {
  const { usedBy: _usedBy, ...rest } = segment;
  return { pk: PK, sk: segment.segmentId, ...rest };
};

export class DynamoDbSegmentStore implements SegmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(segmentId: string): Promise<Segment | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: PK, sk: segmentId }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async list(): Promise<Segment[]> {
    const items = await queryPartition(this.client, this.table, PK, MAX_SEGMENTS);
    return items.map(fromItem).sort((a, b) => a.name.localeCompare(b.name));
  }

  create(segment: Segment, references: readonly string[]): Promise<SegmentWriteRefusal | undefined> {
    return this.run(
      [
        {
          Put: {
            TableName: this.table,
            Item: toItem(segment),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.claimName(segment),
        ...references.map((id) => this.addUser(id, segment.segmentId)),
      ],
      (index, item) =>
        index === 0
          ? { kind: 'changed' }
          : index === 1
            ? { kind: 'name-taken', segmentId: cancelledItemString(item, 'segmentId') ?? '' }
            : { kind: 'missing-reference', segmentId: references[index - 2]! },
    );
  }

  update(
    next: Segment,
    previous: Segment,
    references: { readonly added: readonly string[]; readonly removed: readonly string[] },
  ): Promise<SegmentWriteRefusal | undefined> {
    const renamed = next.name.toLowerCase() !== previous.name.toLowerCase();
    const items: TransactItem[] = [
      {
        // An update, not a put: usedBy belongs to the segments and campaigns referring to this one.
        Update: {
          TableName: this.table,
          Key: { pk: PK, sk: next.segmentId },
          UpdateExpression: `SET #name = :name, #rule = :rule, version = :next, updatedAt = :updatedAt${
            next.description !== undefined ? ', description = :description' : ' REMOVE description'
          }`,
          ConditionExpression: 'version = :version',
          ExpressionAttributeNames: { '#name': 'name', '#rule': 'rule' },
          ExpressionAttributeValues: {
            ':name': next.name,
            ':rule': next.rule,
            ':next': next.version,
            ':updatedAt': next.updatedAt,
            ':version': previous.version,
            ...(next.description !== undefined ? { ':description': next.description } : {}),
          },
        },
      },
    ];
    if (renamed) {
      items.push(this.claimName(next), {
        Delete: {
          TableName: this.table,
          Key: nameKey(previous.name),
          ConditionExpression: 'segmentId = :id',
          ExpressionAttributeValues: { ':id': previous.segmentId },
        },
      });
    }
    const first = items.length;
    items.push(
      ...references.added.map((id) => this.addUser(id, next.segmentId)),
      ...references.removed.map((id) => this.removeUser(id, next.segmentId)),
    );
    return this.run(items, (index, item) =>
      index === 0
        ? { kind: 'changed' }
        : renamed && index === 1
          ? { kind: 'name-taken', segmentId: cancelledItemString(item, 'segmentId') ?? '' }
          : index >= first && index < first + references.added.length
            ? { kind: 'missing-reference', segmentId: references.added[index - first]! }
            : { kind: 'changed' },
    );
  }

  async delete(
    segment: Segment,
    references: readonly string[],
  ): Promise<
    | { readonly kind: 'deleted' | 'missing' | 'changed' }
    | { readonly kind: 'in-use'; readonly usedBy: string[] }
  > {
    const refusal = await this.run(
      [
        {
          Delete: {
            TableName: this.table,
            Key: { pk: PK, sk: segment.segmentId },
            ConditionExpression: 'version = :version AND attribute_not_exists(usedBy)',
            ExpressionAttributeValues: { ':version': segment.version },
          },
        },
        {
          Delete: {
            TableName: this.table,
            Key: nameKey(segment.name),
            ConditionExpression: 'segmentId = :id',
            ExpressionAttributeValues: { ':id': segment.segmentId },
          },
        },
        ...references.map((id) => this.removeUser(id, segment.segmentId)),
      ],
      () => ({ kind: 'changed' }),
    );
    if (!refusal) return { kind: 'deleted' };
    const now = await this.get(segment.segmentId);
    if (!now) return { kind: 'missing' };
    return now.usedBy.length > 0 ? { kind: 'in-use', usedBy: [...now.usedBy] } : { kind: 'changed' };
  }

  private claimName(segment: Segment): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...nameKey(segment.name), segmentId: segment.segmentId },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private addUser(segmentId: string, user: string): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: { pk: PK, sk: segmentId },
        UpdateExpression: 'ADD usedBy :user',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':user': new Set([user]) },
      },
    };
  }

  private removeUser(segmentId: string, user: string): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: { pk: PK, sk: segmentId },
        UpdateExpression: 'DELETE usedBy :user',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':user': new Set([user]) },
      },
    };
  }

  /** Runs the transaction; a failed condition becomes the refusal `explain` gives for its action. */
  private run(
    items: TransactItem[],
    explain: (index: number, item: Record<string, unknown> | undefined) => SegmentWriteRefusal,
  ): Promise<SegmentWriteRefusal | undefined> {
    return transactOrRefuse(this.client, items, explain);
  }
}
