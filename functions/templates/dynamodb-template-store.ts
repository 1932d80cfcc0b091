import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '../shared/query-partition';
import { transactOrRefuse } from '../shared/transact-or-refuse';
import { transactWithRetry } from '../shared/transact-with-retry';
import type { Template } from './template';
import { MAX_TEMPLATES, type StoredTemplate, type TemplateStore } from './template-store';

// Key layout in the campaigns table (see lib/definition.ts):
//   TEMPLATE / <templateId>                 the current version, `usedBy` a string set of campaigns
//   TEMPLATE#<templateId> / V#<000001>      every version as saved, never changed

const PK = 'TEMPLATE';
const versionKey = (templateId: string, version: number) => ({
  pk: `${PK}#${templateId}`,
  sk: `V#${String(version).padStart(6, '0')}`,
});

const fromItem = (item: Record<string, unknown>): StoredTemplate => {
  const { pk: _pk, sk: _sk, usedBy, ...rest } = item;
  return { ...(rest as Template), usedBy: usedBy instanceof Set ? [...usedBy].sort() : [] };
};
const strip = (item: Record<string, unknown>): Template => {
  const { pk: _pk, sk: _sk, usedBy: _usedBy, ...rest } = item;
  return rest as Template;
};

export class DynamoDbTemplateStore implements TemplateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(templateId: string): Promise<StoredTemplate | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: PK, sk: templateId }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async getVersion(templateId: string, version: number): Promise<Template | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: versionKey(templateId, version), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }

  async list(): Promise<StoredTemplate[]> {
    const items = await queryPartition(this.client, this.table, PK, MAX_TEMPLATES);
    return items.map(fromItem).sort((a, b) => a.name.localeCompare(b.name));
  }

  async create(template: Template): Promise<void> {
    await transactWithRetry(
      this.client,
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk: PK, sk: template.templateId, ...template },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.table, Item: { ...versionKey(template.templateId, 1), ...template } } },
      ],
      async () => new Error(`template ${template.templateId} exists already`),
    );
  }

  async update(next: Template, previous: Template): Promise<boolean> {
    // The current item is replaced field by field (an update, so campaigns' usedBy stays).
    const fields = Object.entries(next).filter(([k]) => k !== 'templateId');
    const removed = Object.keys(previous).filter((k) => !(k in next));
    const names = Object.fromEntries([...fields.map(([k]) => k), ...removed].map((k, i) => [`#f${i}`, k]));
    const sets = fields.map(([, v], i) => [`#f${i} = :f${i}`, v] as const);
    const refused = await transactOrRefuse(
      this.client,
      [
        {
          Update: {
            TableName: this.table,
            Key: { pk: PK, sk: next.templateId },
            UpdateExpression: `SET ${sets.map(([e]) => e).join(', ')}${
              removed.length > 0
                ? ` REMOVE ${removed.map((_, i) => `#f${fields.length + i}`).join(', ')}`
                : ''
            }`,
            ConditionExpression: 'version = :previous',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ...Object.fromEntries(sets.map(([, v], i) => [`:f${i}`, v])),
              ':previous': previous.version,
            },
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: { ...versionKey(next.templateId, next.version), ...next },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      () => 'changed' as const,
    );
    return refused === undefined;
  }

  async delete(
    template: Template,
  ): Promise<
    | { readonly kind: 'deleted' | 'missing' | 'changed' }
    | { readonly kind: 'in-use'; readonly usedBy: string[] }
  > {
    const refused = await transactOrRefuse(
      this.client,
      [
        {
          Delete: {
            TableName: this.table,
            Key: { pk: PK, sk: template.templateId },
            ConditionExpression: 'version = :version AND attribute_not_exists(usedBy)',
            ExpressionAttributeValues: { ':version': template.version },
          },
        },
      ],
      () => 'refused' as const,
    );
    if (!refused) return { kind: 'deleted' };
    const now = await this.get(template.templateId);
    if (!now) return { kind: 'missing' };
    return now.usedBy.length > 0 ? { kind: 'in-use', usedBy: [...now.usedBy] } : { kind: 'changed' };
  }
}
