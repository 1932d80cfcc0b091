import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SeedMarker } from './seed-win-back';

/**
 * What the deployment seeded, in the campaigns table beside what it made: `SEED` / `<seed>`.
 * Written once (conditional), so two overlapping attempts cannot both claim to have seeded.
 */
export class DynamoDbSeedMarkers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly seed: SeedMarker['seed'] = 'win-back',
  ) {}

  async get(): Promise<SeedMarker | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: 'SEED', sk: this.seed },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...marker } = Item;
    return marker as SeedMarker;
  }

  async put(marker: SeedMarker): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'SEED', sk: this.seed, ...marker },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
