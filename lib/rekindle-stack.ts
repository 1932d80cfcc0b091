/**
 * The Rekindle stack, generated from lib/definition.ts: nothing here names a function, a route, a
 * table or a queue; a new entry in the definition appears in the stack without a change here.
 *
 * Configuration. Every setting of `settings` in lib/definition.ts is read, in this order, from
 *   1. CDK context under the setting's name: `cdk synth -c fromAddress='Shop <news@shop.example>'`
 *      or the "context" object of cdk.json;
 *   2. the environment variable `settings[name].env` (e.g. FROM_ADDRESS, STAGE);
 *   3. the definition's default.
 * The stage (`-c stage=prod` or STAGE=prod, default `dev`) names the stack `Rekindle-<stage>` and is
 * part of every physical resource name (`rekindle-<stage>-...`). Functions receive every setting
 * under its `env` name. A schedule reads its expression and time zone from the settings its
 * trigger names (scoringSchedule, scheduleTimezone); sendEmail is allowed on the SES identity
 * of fromAddress's domain.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './constructs/alarms';
import { CampaignScheduling } from './constructs/campaign-scheduling';
import { DataTables } from './constructs/data-tables';
import { DeploymentHooks } from './constructs/deployment-hooks';
import { DropBucket } from './constructs/drop-bucket';
import { EmailSending } from './constructs/email-sending';
import { grantAccess } from './constructs/grant-access';
import { RekindleHttpApi } from './constructs/http-api';
import { MessagingKey } from './constructs/messaging-key';
import { OperationsDashboard } from './constructs/operations-dashboard';
import { OpsTopic } from './constructs/ops-topic';
import { wireQueueTriggers } from './constructs/queue-triggers';
import { RekindleFunction } from './constructs/rekindle-function';
import { Schedules } from './constructs/schedules';
import { UnsubscribeSecret } from './constructs/unsubscribe-secret';
import { WorkQueues } from './constructs/work-queues';
import { functions, tableNames } from './definition';
import { functionEnvironment, resourceRefs } from './function-environment';
import { pascal } from './naming';
import type { RekindleResources } from './rekindle-resources';
import type { ResolvedSettings } from './settings';

export interface RekindleStackProps extends StackProps {
  readonly settings: ResolvedSettings;
}

export class RekindleStack extends Stack {
  readonly functions: ReadonlyMap<string, RekindleFunction>;
  readonly httpApi: RekindleHttpApi;
  readonly dataTables: DataTables;
  readonly dropBucket: DropBucket;

  constructor(scope: Construct, id: string, props: RekindleStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const stage = settings.stage;

    this.dataTables = new DataTables(this, 'Tables', { stage });
    this.dropBucket = new DropBucket(this, 'DropBucket', { stage });
    const messagingKey = new MessagingKey(this, 'MessagingKey', { stage });
    const workQueues = new WorkQueues(this, 'Queues', { stage, key: messagingKey.key });
    const ops = new OpsTopic(this, 'OpsTopic', { stage, key: messagingKey.key });
    const email = new EmailSending(this, 'EmailSending', { stage, fromAddress: settings.fromAddress });
    const unsubscribe = new UnsubscribeSecret(this, 'UnsubscribeSecret', { stage });
    this.httpApi = new RekindleHttpApi(this, 'HttpApi', { stage });
    const campaignScheduling = new CampaignScheduling(this, 'CampaignScheduling', {
      stage,
      key: messagingKey.key,
      target: workQueues.queues.campaignStarts,
    });

    const resources: RekindleResources = {
      tables: this.dataTables.tables,
      dropBucket: this.dropBucket.bucket,
      dropBucketKey: this.dropBucket.key,
      queues: workQueues.queues,
      opsTopic: ops.topic,
      configurationSetName: email.configurationSetName,
      configurationSetArn: email.configurationSetArn,
      sendingIdentityArn: email.identityArn,
      unsubscribeSecret: unsubscribe.secret,
      publicApiUrl: this.httpApi.url,
      campaignScheduling: {
        group: campaignScheduling.groupName,
        groupArn: campaignScheduling.schedulesArn(),
        targetArn: workQueues.queues.campaignStarts.queueArn,
        roleArn: campaignScheduling.role.roleArn,
        deadLetterArn: campaignScheduling.deadLetterQueue.queueArn,
      },
    };

    const schedules = new Schedules(this, 'Schedules', { stage, settings, key: messagingKey.key });
    const deploymentHooks = new DeploymentHooks(this, 'DeploymentHooks', {
      after: [this.dataTables, campaignScheduling, workQueues, unsubscribe],
    });
    const alarms = new Alarms(this, 'Alarms', { topic: ops.topic });
    const built = new Map<string, RekindleFunction>();
    for (const spec of functions) {
      const fn = new RekindleFunction(this, pascal(spec.name), {
        stage,
        spec,
        environment: functionEnvironment(spec, resourceRefs(resources), settings),
      });
      grantAccess(fn, spec.access, resources);
      // Large files: an import function takes a file in checkpointed chunks and, near its time limit,
      // sends itself a continuation on the same queue, so a file of any size is split across
      // invocations (about 15 minutes each) with nothing lost or counted twice. For files too big
      // for that to be timely (tens of millions of rows), the path is a Step Functions Distributed
      // Map reading the object from S3 in batches of rows, each batch handed to the same pure
      // RowProcessor (functions/imports/row-processor.ts) that the queue path uses.
      wireQueueTriggers(fn, this.dropBucket.bucket, workQueues.queues);
      schedules.addFor(fn);
      deploymentHooks.addFor(fn);
      alarms.functionErrors(spec.name, fn.function);
      built.set(spec.name, fn);
    }
    this.functions = built;
    this.httpApi.addRoutes([...built.values()].map((fn) => ({ spec: fn.spec, function: fn.function })));

    for (const [name, queue] of Object.entries(workQueues.deadLetterQueues)) {
      alarms.deadLetterQueue(`${name}-queue`, queue);
    }
    alarms.deadLetterQueue('campaign-schedules', campaignScheduling.deadLetterQueue);
    for (const { id: scheduleId, queue } of schedules.deadLetterQueues) {
      alarms.deadLetterQueue(`${scheduleId}-schedule`, queue);
    }
    new OperationsDashboard(this, 'Operations', {
      stage,
      functions: new Map([...built].map(([name, fn]) => [name, fn.function])),
      alarms: alarms.all,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'DropBucketName', {
      value: this.dropBucket.bucket.bucketName,
      description: 'Drop bucket: files under imports/, reports under reports/',
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: ops.topic.topicArn,
      description: 'Operational notices and alarms',
    });
    for (const name of tableNames) {
      new CfnOutput(this, `${pascal(name)}TableName`, {
        value: this.dataTables.tables[name].tableName,
        description: `DynamoDB table ${name}`,
      });
    }
  }
}
