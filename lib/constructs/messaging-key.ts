import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed key of the queues and the ops topic. Besides the account, two services use
 * it: S3 (object-created notifications into the encrypted queue; SqsDestination adds that grant)
 * and CloudWatch (alarm actions publishing to the encrypted ops topic; granted here).
 */
export class MessagingKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: { readonly stage: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `Rekindle ${props.stage}: encryption of the queues and the ops topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }
}
