import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { topics } from '../definition';
import { resourceName } from '../naming';

export interface OpsTopicProps {
  readonly stage: string;
  readonly key: IKey;
}

/** The ops SNS topic: KMS-encrypted, TLS-only publishing; CloudWatch alarms of this account may publish. */
export class OpsTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OpsTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: resourceName(props.stage, 'ops'),
      displayName: `Rekindle ${props.stage}: ${topics.ops.description}`.slice(0, 100),
      masterKey: props.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }
}
