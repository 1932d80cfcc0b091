import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type TableName, tableNames, tables } from '../definition';
import { definitionTags, pascal, resourceName } from '../naming';

export interface DataTablesProps {
  readonly stage: string;
}

/**
 * One DynamoDB table per `tables` entry of the definition: on demand, point-in-time recovery,
 * encrypted with one customer-managed key (rotated yearly), retained when the stack goes.
 */
export class DataTables extends Construct {
  readonly key: Key;
  readonly tables: Readonly<Record<TableName, Table>>;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `Rekindle ${props.stage}: encryption of the DynamoDB tables`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const built = {} as Record<TableName, Table>;
    for (const name of tableNames) {
      const spec = tables[name];
      const table = new Table(this, pascal(name), {
        tableName: resourceName(props.stage, name),
        partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
        ...(spec.sortKey ? { sortKey: { name: spec.sortKey, type: AttributeType.STRING } } : {}),
        ...(spec.timeToLive ? { timeToLiveAttribute: spec.timeToLive } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of spec.globalIndexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
          projectionType: ProjectionType.ALL,
        });
      }
      Tags.of(table).add(definitionTags.table, name);
      built[name] = table;
    }
    this.tables = built;
  }
}
