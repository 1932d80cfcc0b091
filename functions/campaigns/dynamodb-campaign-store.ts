import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '../shared/query-partition';
import { transactOrRefuse } from '../shared/transact-or-refuse';
import type { TransactItem } from '../shared/transact-with-retry';
import type { Campaign } from './campaign';
import {
  type CampaignReferences,
  type CampaignStore,
  type CampaignWriteRefusal,
  MAX_CAMPAIGNS,
} from './campaign-store';

// Key layout in the campaigns table (see lib/definition.ts):
//   CAMPAIGN / <campaignId>   the campaign as defined, with its status and version
// A campaign's id is in the `usedBy` set of its segment (SEGMENT / <id>) and of each of its
// templates (TEMPLATE / <id>), written in the same transaction as the campaign.

const PK = 'CAMPAIGN';

const fromItem = (item: Record<string, unknown>): Campaign => {
  const { pk: _pk, sk: _sk, ...campaign } = item;
  return campaign as Campaign;
};

export class DynamoDbCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(campaignId: string): Promise<Campaign | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: PK, sk: campaignId }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async list(): Promise<Campaign[]> {
    const items = await queryPartition(this.client, this.table, PK, MAX_CAMPAIGNS);
    return items.map(fromItem).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  create(campaign: Campaign, references: CampaignReferences): Promise<CampaignWriteRefusal | undefined> {
    const refs = this.referenceItems(campaign.campaignId, references, 'ADD');
    return this.run(
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk: PK, sk: campaign.campaignId, ...campaign },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...refs.items,
      ],
      (index) => (index === 0 ? { kind: 'changed' } : refs.refusal(index - 1)),
    );
  }

  update(
    next: Campaign,
    previous: Campaign,
    references: { readonly added: CampaignReferences; readonly removed: CampaignReferences },
  ): Promise<CampaignWriteRefusal | undefined> {
    const added = this.referenceItems(next.campaignId, references.added, 'ADD');
    const removed = this.referenceItems(next.campaignId, references.removed, 'DELETE');
    return this.run(
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk: PK, sk: next.campaignId, ...next },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
        ...added.items,
        ...removed.items,
      ],
      (index) => (index === 0 || index > added.items.length ? { kind: 'changed' } : added.refusal(index - 1)),
    );
  }

  /** The updates of the referenced items' `usedBy`, and what a failed condition of each means. */
  private referenceItems(
    campaignId: string,
    references: CampaignReferences,
    operation: 'ADD' | 'DELETE',
  ): { items: TransactItem[]; refusal: (index: number) => CampaignWriteRefusal } {
    const targets = [
      ...references.segments.map((id) => ({ pk: 'SEGMENT', id })),
      ...references.templates.map((id) => ({ pk: 'TEMPLATE', id })),
    ];
    return {
      items: targets.map(({ pk, id }) => ({
        Update: {
          TableName: this.table,
          Key: { pk, sk: id },
          UpdateExpression: `${operation} usedBy :campaign`,
          // Writing to a deleted segment or template would bring it back as a husk: refuse instead.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':campaign': new Set([campaignId]) },
        },
      })),
      refusal: (index) => {
        const target = targets[index];
        if (!target) return { kind: 'changed' };
        return target.pk === 'SEGMENT'
          ? { kind: 'missing-segment', segmentId: target.id }
          : { kind: 'missing-template', templateId: target.id };
      },
    };
  }

  private run(
    items: TransactItem[],
    explain: (index: number) => CampaignWriteRefusal,
  ): Promise<CampaignWriteRefusal | undefined> {
    return transactOrRefuse(this.client, items, explain);
  }
}
