import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../functions/shared/metric-names';
import {
  dropBucket,
  functions,
  httpRoutes,
  queues,
  resourceEnv,
  routeKey,
  settings as settingDefs,
  tableNames,
  tables,
} from './definition';
import { definitionTags, deploymentHookType } from './naming';
import type { RekindleStack } from './rekindle-stack';
import { settingsEnvironment } from './settings';
import { type CfnTemplate, wiringFromTemplate } from './template-wiring';
import { buildTestApp, testApp } from './test-support';
import { bindingKey, definitionBindings } from './wiring';

/** CloudFormation JSON, walked freely by the assertions below. */
type Json = any;
type Resources = Record<string, { Type: string; Properties: Record<string, Json>; DeletionPolicy?: string }>;

let template: Template;
let resources: Resources;
let stack: RekindleStack;

beforeAll(() => {
  const built = testApp();
  template = built.template;
  stack = built.stack;
  resources = template.toJSON().Resources as Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const tagOf = (r: { Properties: Record<string, Json> }, key: string): string | undefined =>
  (r.Properties['Tags'] as { Key: string; Value: string }[] | undefined)?.find((t) => t.Key === key)?.Value;
const functionId = (name: string): string => {
  const found = ofType('AWS::Lambda::Function').filter(([, r]) => tagOf(r, definitionTags.function) === name);
  expect(found, `function ${name}`).toHaveLength(1);
  return found[0]![0];
};
const roleOf = (name: string): string => resources[functionId(name)]!.Properties['Role']['Fn::GetAtt'][0];
/** Every Allow statement of every policy attached to the function's role. */
const statementsOf = (
  name: string,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] => {
  const role = roleOf(name);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties['Roles'] as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap(([, p]) => p.Properties['PolicyDocument'].Statement)
    .filter((s: { Effect: string }) => s.Effect === 'Allow');
};
const actionsOf = (name: string): string[] => statementsOf(name).flatMap((s) => [s.Action].flat());

describe('the stack', () => {
  it('is named after the stage', () => {
    expect(stack.stackName).toBe('Rekindle-dev');
    expect(testApp({ stage: 'prod' }).stack.stackName).toBe('Rekindle-prod');
  });

  it('has one table per definition table: on demand, PITR, KMS with a rotated customer key, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', tableNames.length);
    for (const name of tableNames) {
      const spec = tables[name];
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          TableName: `rekindle-dev-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' }] : []),
          ],
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
          ...(spec.timeToLive
            ? { TimeToLiveSpecification: { AttributeName: spec.timeToLive, Enabled: true } }
            : {}),
          Tags: Match.arrayWith([{ Key: definitionTags.table, Value: name }]),
        }),
      });
    }
    const keys = ofType('AWS::KMS::Key');
    expect(keys.length).toBeGreaterThan(0);
    for (const [, key] of keys) expect(key.Properties['EnableKeyRotation']).toBe(true);
  });

  it('keeps the drop bucket private, TLS-only, encrypted, logged and expiring imports and reports', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: dropBucket.importsPrefix,
            ExpirationInDays: dropBucket.expireImportsAfterDays,
            Status: 'Enabled',
          }),
          Match.objectLike({
            Prefix: dropBucket.reportsPrefix,
            ExpirationInDays: dropBucket.expireReportsAfterDays,
            Status: 'Enabled',
          }),
        ]),
      },
    });
    const bucketPolicies = ofType('AWS::S3::BucketPolicy');
    expect(bucketPolicies).toHaveLength(ofType('AWS::S3::Bucket').length);
    for (const [, policy] of bucketPolicies) {
      expect(policy.Properties['PolicyDocument'].Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('gives every queue a KMS key, a TLS-only policy and a dead-letter queue after maxReceiveCount', () => {
    for (const [name, spec] of Object.entries(queues)) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: Match.anyValue(),
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: spec.maxReceiveCount },
        Tags: Match.arrayWith([{ Key: definitionTags.queue, Value: name }]),
      });
    }
    for (const [, queue] of ofType('AWS::SQS::Queue'))
      expect(queue.Properties['KmsMasterKeyId']).toBeDefined();
    for (const [, policy] of ofType('AWS::SQS::QueuePolicy')) {
      expect(policy.Properties['PolicyDocument'].Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('lets S3 use the queue key for notifications and CloudWatch use it for alarms on the topic', () => {
    const keyStatements = ofType('AWS::KMS::Key').flatMap(([, k]) => k.Properties['KeyPolicy'].Statement);
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 's3.amazonaws.com' },
        Action: expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']),
      }),
    );
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']),
      }),
    );
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('the functions', () => {
  it('exist once per definition entry, Node 22 on ARM, traced, with timeout and memory from the definition', () => {
    expect(ofType('AWS::Lambda::Function').filter(([, r]) => tagOf(r, definitionTags.function))).toHaveLength(
      functions.length,
    );
    for (const fn of functions) {
      const props = resources[functionId(fn.name)]!.Properties;
      expect(props).toMatchObject({
        FunctionName: `rekindle-dev-${fn.name}`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: fn.timeoutSeconds ?? 10,
        MemorySize: fn.memoryMb ?? 256,
        TracingConfig: { Mode: 'Active' },
      });
      const logGroupId = props['LoggingConfig'].LogGroup.Ref;
      expect(resources[logGroupId]!.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/rekindle-dev-${fn.name}`,
        RetentionInDays: 30,
      });
    }
  });

  it('get every setting, and the resource names of exactly what their access grants', () => {
    const settingsEnv = settingsEnvironment(
      Object.fromEntries(Object.entries(settingDefs).map(([k, s]) => [k, s.default])) as never,
    );
    for (const fn of functions) {
      const env = resources[functionId(fn.name)]!.Properties['Environment'].Variables as Record<
        string,
        unknown
      >;
      expect(env).toMatchObject({
        ...settingsEnv,
        NODE_OPTIONS: fn.maxHeapMb
          ? `--enable-source-maps --max-old-space-size=${fn.maxHeapMb}`
          : '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'rekindle',
      });
      const resourceVars = Object.keys(env).filter(
        (k) => !(k in settingsEnv) && k !== 'NODE_OPTIONS' && k !== 'POWERTOOLS_SERVICE_NAME',
      );
      const expected = [
        ...Object.keys(fn.access.tables ?? {}).map((t) => resourceEnv.table(t as never)),
        ...(fn.access.dropBucket ? [resourceEnv.dropBucket] : []),
        ...(fn.access.publishOps ? [resourceEnv.opsTopicArn] : []),
        ...(fn.access.sendEmail ? [resourceEnv.sesConfigurationSet] : []),
        ...(fn.access.unsubscribeSecret ? [resourceEnv.unsubscribeSecretArn, resourceEnv.publicApiUrl] : []),
        ...(fn.access.sendToQueues ?? []).map((q) => resourceEnv.queueUrl(q)),
        ...(fn.access.manageCampaignSchedules
          ? [
              resourceEnv.campaignScheduleGroup,
              resourceEnv.campaignScheduleTargetArn,
              resourceEnv.campaignSchedulerRoleArn,
              resourceEnv.campaignScheduleDeadLetterArn,
            ]
          : []),
      ];
      expect(resourceVars.sort(), fn.name).toEqual(expected.sort());
    }
    const sender = resources[functionId('send-campaign-messages')]!.Properties['Environment'].Variables;
    expect(sender[resourceEnv.publicApiUrl]).toEqual({
      'Fn::GetAtt': [ofType('AWS::ApiGatewayV2::Api')[0]![0], 'ApiEndpoint'],
    });
  });

  it('may send only to the queues their access names', () => {
    for (const fn of functions) {
      const sends = actionsOf(fn.name).includes('sqs:SendMessage');
      expect(sends, fn.name).toBe((fn.access.sendToQueues ?? []).length > 0);
    }
  });

  it('follow the settings given as context', () => {
    const { template: custom } = testApp({
      stage: 'qa',
      logLevel: 'DEBUG',
      fromAddress: 'news@shop.example',
    });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'rekindle-qa-get-profile',
      Environment: { Variables: Match.objectLike({ STAGE: 'qa', LOG_LEVEL: 'DEBUG' }) },
    });
    custom.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: Match.arrayWith([{ 'Fn::Join': ['', Match.arrayWith([':identity/shop.example'])] }]),
          }),
        ]),
      },
    });
  });
});

describe('least privilege', () => {
  const writes = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ];

  it('lets get-profile read its tables and write nothing', () => {
    const actions = actionsOf('get-profile');
    expect(actions).toContain('dynamodb:GetItem');
    for (const action of writes) expect(actions).not.toContain(action);
    expect(actions.filter((a) => /^(s3|sns|ses|sqs|secretsmanager):/.test(a))).toEqual([]);
  });

  it('lets only the senders send email and SMS, on the sending identity and configuration set', () => {
    const senders = ['send-campaign-messages', 'test-send-template'];
    for (const fn of functions) {
      const actions = actionsOf(fn.name);
      const sendsEmail = actions.includes('ses:SendEmail') || actions.includes('ses:SendRawEmail');
      const sendsSms = actions.includes('sns:CheckIfPhoneNumberIsOptedOut');
      expect(sendsEmail, fn.name).toBe(senders.includes(fn.name));
      expect(sendsSms, fn.name).toBe(senders.includes(fn.name));
    }
    for (const sender of senders) {
      const ses = statementsOf(sender).find((s) => [s.Action].flat().includes('ses:SendEmail'))!;
      expect(JSON.stringify(ses.Resource)).toContain(':identity/example.com');
      expect(JSON.stringify(ses.Resource)).toContain(':configuration-set/rekindle-dev-campaigns');
    }
  });

  it("lets only the campaign writers manage schedules, those of the stage's group, and pass only the scheduler role to Scheduler", () => {
    const writers = functions.filter((f) => f.access.manageCampaignSchedules).map((f) => f.name);
    expect(writers.sort()).toEqual([
      'change-campaign-status',
      'create-campaign',
      'seed-campaigns',
      'update-campaign',
    ]);
    for (const fn of functions) {
      const actions = actionsOf(fn.name);
      expect(
        actions.some((a) => a.startsWith('scheduler:')),
        fn.name,
      ).toBe(writers.includes(fn.name));
      expect(actions.includes('iam:PassRole'), fn.name).toBe(writers.includes(fn.name));
    }
    const statements = statementsOf('create-campaign');
    const manage = statements.find((s) => [s.Action].flat().includes('scheduler:CreateSchedule'))!;
    expect(JSON.stringify(manage.Resource)).toContain(':schedule/rekindle-dev-campaigns/*');
    const pass = statements.find((s) => [s.Action].flat().includes('iam:PassRole'))!;
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    const [group] = ofType('AWS::Scheduler::ScheduleGroup');
    expect(group![1].Properties).toEqual({ Name: 'rekindle-dev-campaigns' });
  });

  it('lets only the campaign sender read the SES quota', () => {
    for (const fn of functions)
      expect(actionsOf(fn.name).includes('ses:GetAccount'), fn.name).toBe(
        fn.name === 'send-campaign-messages',
      );
  });

  it('uses Resource "*" only for X-Ray, SMS sending and the SES quota', () => {
    for (const fn of functions) {
      for (const statement of statementsOf(fn.name)) {
        if (![statement.Resource].flat().includes('*')) continue;
        const actions = [statement.Action].flat().sort();
        expect(
          [
            ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
            ['sns:CheckIfPhoneNumberIsOptedOut', 'sns:ListPhoneNumbersOptedOut', 'sns:Publish'],
            ['ses:GetAccount'],
          ],
          fn.name,
        ).toContainEqual(actions);
      }
    }
  });

  it('limits import-profiles to reading imports/ and writing reports/ in the drop bucket', () => {
    const s3 = statementsOf('import-profiles').filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('s3:')),
    );
    const described = s3.map((s) => `${[s.Action].flat().join(',')} ${JSON.stringify(s.Resource)}`);
    expect(described).toHaveLength(3);
    expect(described.find((d) => d.startsWith('s3:GetObject '))).toContain('/imports/*');
    expect(described.find((d) => d.startsWith('s3:PutObject '))).toContain('/reports/*');
    expect(described.find((d) => d.startsWith('s3:ListBucket '))).toBeDefined();
    for (const fn of functions.filter((f) => !f.access.dropBucket)) {
      expect(
        actionsOf(fn.name).filter((a) => a.startsWith('s3:')),
        fn.name,
      ).toEqual([]);
    }
  });

  it('gives the unsubscribe secret only to the functions that sign links', () => {
    for (const fn of functions) {
      expect(actionsOf(fn.name).includes('secretsmanager:GetSecretValue'), fn.name).toBe(
        fn.access.unsubscribeSecret === true,
      );
    }
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });
});

describe('the HTTP API', () => {
  it('has one route per http trigger, with the API key authorizer on apiKey routes only', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(httpRoutes().length + 1);
    const [authorizerId] = ofType('AWS::ApiGatewayV2::Authorizer').map(([id]) => id);
    for (const route of httpRoutes()) {
      const found = routes.filter(([, r]) => r.Properties['RouteKey'] === routeKey(route));
      expect(found, routeKey(route)).toHaveLength(1);
      const props = found[0]![1].Properties;
      if (route.auth === 'apiKey') {
        expect(props['AuthorizationType']).toBe('CUSTOM');
        expect(props['AuthorizerId']).toEqual({ Ref: authorizerId });
      } else {
        expect(props['AuthorizationType']).toBe('NONE');
        expect(props['AuthorizerId']).toBeUndefined();
      }
    }
    const fallback = routes.find(([, r]) => r.Properties['RouteKey'] === '$default')![1].Properties;
    expect(fallback['AuthorizationType']).toBe('NONE');
  });

  it('calls the authorizer on every request: simple responses, no identity source, no cache', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: Match.absent(),
      AuthorizerUri: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId('authorize-request'), 'Arn'] }])],
      },
    });
  });

  it('integrates Lambda with payload 2.0, and logs and throttles the default stage', () => {
    for (const [, integration] of ofType('AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
    });
  });
});

describe('events', () => {
  it('sends object-created notifications under each s3 trigger prefix to its queue', () => {
    for (const fn of functions) {
      for (const t of fn.triggers) {
        if (t.kind !== 's3') continue;
        template.hasResourceProperties('Custom::S3BucketNotifications', {
          NotificationConfiguration: {
            QueueConfigurations: Match.arrayWith([
              Match.objectLike({
                Events: ['s3:ObjectCreated:*'],
                Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: t.prefix }] } },
              }),
            ]),
          },
        });
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionId(fn.name) },
          BatchSize: t.batchSize,
          ScalingConfig: { MaximumConcurrency: t.maxConcurrency },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    }
  });

  it('schedules score-customers in the configured time zone with its input, retries and a DLQ', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'rekindle-dev-nightly-scoring',
      ScheduleExpression: settingDefs.scoringSchedule.default,
      ScheduleExpressionTimezone: settingDefs.scheduleTimezone.default,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionId('score-customers'), 'Arn'] },
        Input: JSON.stringify({ job: 'scoring', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RoleArn: Match.anyValue(),
      },
    });
    const { template: custom } = testApp({}, { SCHEDULE_TIMEZONE: 'America/New_York' });
    custom.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpressionTimezone: 'America/New_York',
    });
  });

  it('runs each deployment hook as a Lambda-backed custom resource, after the function’s grants and the schedule group', () => {
    const hooks = ofType(deploymentHookType);
    const expected = functions.flatMap((f) =>
      f.triggers.flatMap((t) =>
        t.kind === 'deployment' ? [{ fn: f.name, id: t.id, version: t.version }] : [],
      ),
    );
    expect(expected.map((h) => h.fn)).toEqual(['seed-campaigns']);
    expect(hooks).toHaveLength(expected.length);
    for (const h of expected) {
      const [id, hook] = hooks.find(([, r]) => r.Properties['Hook'] === h.id)!;
      expect(hook.Properties).toEqual({
        ServiceToken: { 'Fn::GetAtt': [functionId(h.fn), 'Arn'] },
        ServiceTimeout: '300',
        Hook: h.id,
        Version: h.version,
      });
      const dependsOn: string[] = template.toJSON().Resources[id].DependsOn ?? [];
      const [roleId] = resources[functionId(h.fn)]!.Properties['Role']['Fn::GetAtt'];
      const policies = ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"${roleId}"`))
        .map(([policyId]) => policyId);
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) expect(dependsOn).toContain(policy);
      expect(dependsOn).toContain(ofType('AWS::Scheduler::ScheduleGroup')[0]![0]);
    }
  });

  it('alarms the ops topic on any function error and any dead-lettered message', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const dlqCount = ofType('AWS::SQS::Queue').filter(([, q]) =>
      tagOf(q, definitionTags.deadLetterQueueOf),
    ).length;
    const scheduleCount = functions.flatMap((f) => f.triggers).filter((t) => t.kind === 'schedule').length;
    // One per queue, one per definition schedule, and the campaign schedules' (set by the API).
    expect(dlqCount).toBe(Object.keys(queues).length + scheduleCount + 1);
    expect(alarms).toHaveLength(functions.length + dlqCount);
    const [topicId] = ofType('AWS::SNS::Topic').map(([id]) => id);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: topicId }],
      });
      expect(['Errors', 'ApproximateNumberOfMessagesVisible']).toContain(alarm.Properties['MetricName']);
    }
  });

  it('has an operations dashboard graphing what the functions record, with every alarm', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const [, dashboard] = dashboards[0]!;
    expect(dashboard.Properties['DashboardName']).toBe('rekindle-dev-operations');
    // The body is a Fn::Join of strings and tokens: the strings hold the metric names.
    const body = JSON.stringify(dashboard.Properties['DashboardBody']);
    for (const name of Object.values(METRIC)) expect(body).toContain(`\\"${name}\\"`);
    expect(body).toContain('\\"Rekindle\\"');
    // Every alarm of the stack is on the dashboard.
    for (const [id] of ofType('AWS::CloudWatch::Alarm')) expect(body).toContain(`"${id}"`);
  });

  it('wires exactly the triggers of the definition', () => {
    const fromTemplate = wiringFromTemplate(template.toJSON() as CfnTemplate, 'dev')
      .map(bindingKey)
      .sort();
    const expected = definitionBindings(
      Object.fromEntries(Object.entries(settingDefs).map(([k, s]) => [k, s.default])) as never,
    )
      .map(bindingKey)
      .sort();
    expect(fromTemplate).toEqual(expected);
  });
});

describe('outputs and SES', () => {
  it('outputs the API URL, bucket, topic and every table name', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'DropBucketName', 'OpsTopicArn']));
    expect(outputs.filter((o) => o.endsWith('TableName'))).toHaveLength(tableNames.length);
  });

  it('sends through a configuration set with reputation metrics and TLS required', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'rekindle-dev-campaigns',
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { app } = buildTestApp();
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the synth on an unacknowledged finding', () => {
    const { app, stack: other } = buildTestApp();
    new Queue(other, 'CarelessQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('has no acknowledgement without a finding it silences, and a reason for each', () => {
    const pack = new AwsSolutionsChecks();
    // Re-run the rules with acknowledgements ignored, to see what each acknowledgement silences.
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = pack
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath })),
      );
    const acknowledgements: { path: string; rule: string; reason: string }[] = [];
    const visit = (node: IConstruct) => {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgements.push({ path: node.node.path, rule: rule.replace(/^annotation::/i, ''), reason });
        }
      }
      for (const child of node.node.children) visit(child);
    };
    visit(stack);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      expect(ack.reason.length, `${ack.path} ${ack.rule}`).toBeGreaterThan(60);
      const silenced = findings.filter(
        (f) => f.rule === ack.rule && (f.path === ack.path || (f.path ?? '').startsWith(`${ack.path}/`)),
      );
      expect(silenced.length, `${ack.path} ${ack.rule} silences nothing`).toBeGreaterThan(0);
    }
  });
});
