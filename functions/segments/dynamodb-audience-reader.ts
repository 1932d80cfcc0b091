import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { parallelScan } from '../shared/parallel-scan';
import { queryPages } from '../shared/query-all';
import type { AudienceReader, ReadPart, ResumableReadOptions } from './audience-reader';
import type { SegmentPlan } from './plan-segment-rule';
import type { ProfileItem } from './segment-fields';

/** The index partition attribute of each score index (lib/definition.ts). */
const PARTITION_OF = { byLifecycleTier: 'scoreLifecycleTier', byValueRisk: 'scoreCell' } as const;

/** Reads a plan's profiles from the profiles table: a parallel Scan, or Queries of index partitions. */
export class DynamoDbAudienceReader implements AudienceReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly profilesTable: string,
    private readonly scanSegments = 4,
  ) {}

  async read(
    plan: SegmentPlan,
    attributes: readonly string[],
    onPage: (profiles: readonly ProfileItem[]) => void | Promise<void>,
  ): Promise<void> {
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    const projection = {
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    };
    if (plan.kind === 'scan') {
      await parallelScan(
        this.client,
        { TableName: this.profilesTable, ...projection },
        this.scanSegments,
        (items) => onPage(items),
      );
      return;
    }
    const partition = PARTITION_OF[plan.index];
    await mapWithConcurrency([...plan.keys], 8, async (key) => {
      for await (const page of queryPages(this.client, {
        TableName: this.profilesTable,
        IndexName: plan.index,
        KeyConditionExpression: '#pk = :pk',
        ...projection,
        ExpressionAttributeNames: { ...names, '#pk': partition },
        ExpressionAttributeValues: { ':pk': key },
      }))
        await onPage(page);
    });
  }

  async readResumable(
    plan: SegmentPlan,
    attributes: readonly string[],
    onPage: (profiles: readonly ProfileItem[], part: number, after: ReadPart) => Promise<void>,
    options: ResumableReadOptions = {},
  ): Promise<ReadPart[]> {
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    const projection = {
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    };
    if (plan.kind === 'scan') {
      const pages = (options.from ?? []).map((p) => p.pages);
      const positions = await parallelScan(
        this.client,
        { TableName: this.profilesTable, ...projection },
        options.from?.length ?? this.scanSegments,
        (items, after) => {
          pages[after.segment] = (pages[after.segment] ?? 0) + 1;
          return onPage(items, after.segment, { ...after, pages: pages[after.segment]! });
        },
        {
          ...(options.from ? { from: options.from } : {}),
          ...(options.stop ? { stop: options.stop } : {}),
          ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        },
      );
      return positions.map((p, i) => ({
        ...(p.next ? { next: p.next } : {}),
        done: p.done,
        pages: pages[i] ?? 0,
      }));
    }
    const partition = PARTITION_OF[plan.index];
    const from = options.from ?? plan.keys.map(() => ({ done: false, pages: 0 }));
    return mapWithConcurrency([...plan.keys], 4, async (key, part) => {
      let position: ReadPart = from[part] ?? { done: false, pages: 0 };
      while (!position.done) {
        if (options.stop?.()) return position;
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.profilesTable,
            IndexName: plan.index,
            KeyConditionExpression: '#pk = :pk',
            ...projection,
            ExpressionAttributeNames: { ...names, '#pk': partition },
            ExpressionAttributeValues: { ':pk': key },
            ...(position.next ? { ExclusiveStartKey: position.next } : {}),
            ...(options.pageSize ? { Limit: options.pageSize } : {}),
          }),
        );
        position = {
          ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
          done: !page.LastEvaluatedKey,
          pages: position.pages + 1,
        };
        await onPage(page.Items ?? [], part, position);
      }
      return position;
    });
  }
}
