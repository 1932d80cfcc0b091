import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { parallelScan } from '../shared/parallel-scan';
import { queryPages } from '../shared/query-all';
import type { AudienceReader } from './audience-reader';
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
}
