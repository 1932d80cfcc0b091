import type { Authorization } from './access-policy';

/** A signed SDK request as the access proxy receives it. */
export interface SignedRequest {
  /** The service of the SigV4 credential scope (`dynamodb`, `s3`, `sqs`, `sns`, `ses`, `secretsmanager`). */
  readonly service: string;
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body, for every service but S3 (whose bodies are streamed through unread). */
  readonly body?: Buffer;
}

export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

const header = (request: SignedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const jsonBody = (request: SignedRequest): Record<string, unknown> => {
  try {
    return JSON.parse(request.body?.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** The operation and parameters of an awsJson (X-Amz-Target) or awsQuery (form `Action=`) request. */
const operation = (request: SignedRequest): { name: string; params: Record<string, unknown> } => {
  const target = header(request, 'x-amz-target');
  if (target) return { name: target.slice(target.indexOf('.') + 1), params: jsonBody(request) };
  const form = new URLSearchParams(request.body?.toString('utf8') ?? '');
  return { name: form.get('Action') ?? '', params: Object.fromEntries(form) };
};

const tableArn = (ctx: ArnContext, table: unknown, index?: unknown): string => {
  const name = String(table ?? '');
  const arn = name.startsWith('arn:')
    ? name
    : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
  return typeof index === 'string' && index ? `${arn}/index/${index}` : arn;
};

const transactActions: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

const dynamodb = (request: SignedRequest, ctx: ArnContext): Authorization[] => {
  const { name, params } = operation(request);
  const action = `dynamodb:${name}`;
  if (name === 'BatchGetItem' || name === 'BatchWriteItem')
    return Object.keys((params['RequestItems'] as object | undefined) ?? {}).map((table) => ({
      action,
      resource: tableArn(ctx, table),
    }));
  if (name === 'TransactWriteItems' || name === 'TransactGetItems')
    // IAM authorizes each item of a transaction as its own action on its own table.
    return ((params['TransactItems'] as Record<string, { TableName?: string }>[] | undefined) ?? []).flatMap(
      (item) =>
        Object.entries(item).map(([kind, body]) => ({
          action: transactActions[kind] ?? `dynamodb:${kind}`,
          resource: tableArn(ctx, body?.TableName),
        })),
    );
  if (params['TableName'] !== undefined)
    return [{ action, resource: tableArn(ctx, params['TableName'], params['IndexName']) }];
  return [{ action, resource: '*' }];
};

const s3 = (request: SignedRequest): Authorization[] => {
  const [, bucket = '', ...keyParts] = request.url.pathname.split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const query = request.url.searchParams;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (!key) {
    if (request.method === 'GET' || request.method === 'HEAD')
      return [{ action: 's3:ListBucket', resource: bucketArn, s3Prefix: query.get('prefix') ?? '' }];
    if (request.method === 'POST' && query.has('delete'))
      return [{ action: 's3:DeleteObject', resource: `${bucketArn}/*` }];
    return [
      { action: `s3:${request.method === 'PUT' ? 'CreateBucket' : 'DeleteBucket'}`, resource: bucketArn },
    ];
  }
  const objectArn = `${bucketArn}/${key}`;
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return [{ action: 's3:GetObject', resource: objectArn }];
    case 'DELETE':
      return [
        {
          action: query.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject',
          resource: objectArn,
        },
      ];
    default: {
      const copySource = header(request, 'x-amz-copy-source');
      const source = copySource ? decodeURIComponent(copySource).replace(/^\//, '').split('?')[0] : undefined;
      return [
        { action: 's3:PutObject', resource: objectArn },
        ...(source ? [{ action: 's3:GetObject', resource: `arn:aws:s3:::${source}` }] : []),
      ];
    }
  }
};

/** SQS's batch APIs are authorised as the single action: IAM has no `sqs:SendMessageBatch`. */
const SQS_BATCH_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

const sqs = (request: SignedRequest, ctx: ArnContext): Authorization[] => {
  const { name: operationName, params } = operation(request);
  const name = SQS_BATCH_ACTIONS[operationName] ?? operationName;
  const queueName = params['QueueUrl']
    ? String(params['QueueUrl']).split('/').pop()
    : params['QueueName'] !== undefined
      ? String(params['QueueName'])
      : undefined;
  return [
    {
      action: `sqs:${name}`,
      resource: queueName ? `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${queueName}` : '*',
    },
  ];
};

const sns = (request: SignedRequest): Authorization[] => {
  const { name, params } = operation(request);
  // A publish to a phone number has no resource (its policy can only say "*").
  const topic = params['TopicArn'] ?? params['TargetArn'];
  return [{ action: `sns:${name}`, resource: topic ? String(topic) : '*' }];
};

const ses = (request: SignedRequest, ctx: ArnContext): Authorization[] => {
  if (request.method === 'POST' && request.url.pathname === '/v2/email/outbound-emails') {
    const body = jsonBody(request);
    const from = String(body['FromEmailAddress'] ?? '');
    const domain = /@([^>\s@]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? '';
    const base = `arn:aws:ses:${ctx.region}:${ctx.accountId}`;
    return [
      { action: 'ses:SendEmail', resource: `${base}:identity/${domain}` },
      ...(body['ConfigurationSetName']
        ? [
            {
              action: 'ses:SendEmail',
              resource: `${base}:configuration-set/${String(body['ConfigurationSetName'])}`,
            },
          ]
        : []),
    ];
  }
  if (request.method === 'GET' && request.url.pathname === '/v2/email/account')
    return [{ action: 'ses:GetAccount', resource: '*' }];
  const [, , , resource = 'Unknown'] = request.url.pathname.split('/');
  return [{ action: `ses:${request.method}${resource}`, resource: '*' }];
};

const secretsManager = (request: SignedRequest): Authorization[] => {
  const { name, params } = operation(request);
  return [{ action: `secretsmanager:${name}`, resource: String(params['SecretId'] ?? '*') }];
};

const schedulerActions: Readonly<Record<string, string>> = {
  POST: 'CreateSchedule',
  PUT: 'UpdateSchedule',
  GET: 'GetSchedule',
  DELETE: 'DeleteSchedule',
};

/** EventBridge Scheduler's REST API: `/schedules/{Name}?groupName=`; creating or changing one passes its role. */
const scheduler = (request: SignedRequest, ctx: ArnContext): Authorization[] => {
  const [, kind, name] = request.url.pathname.split('/');
  if (kind !== 'schedules') return [{ action: 'scheduler:Unknown', resource: '*' }];
  if (!name) return [{ action: 'scheduler:ListSchedules', resource: '*' }];
  const body = request.method === 'POST' || request.method === 'PUT' ? jsonBody(request) : {};
  const group = String(body['GroupName'] ?? request.url.searchParams.get('groupName') ?? 'default');
  const resource = `arn:aws:scheduler:${ctx.region}:${ctx.accountId}:schedule/${group}/${decodeURIComponent(name)}`;
  const role = (body['Target'] as { RoleArn?: string } | undefined)?.RoleArn;
  return [
    { action: `scheduler:${schedulerActions[request.method] ?? 'Unknown'}`, resource },
    ...(role ? [{ action: 'iam:PassRole', resource: role }] : []),
  ];
};

/** What IAM would check for one request: each action on each resource it touches. */
export const requestAuthorizations = (request: SignedRequest, ctx: ArnContext): Authorization[] => {
  switch (request.service) {
    case 'dynamodb':
      return dynamodb(request, ctx);
    case 's3':
      return s3(request);
    case 'sqs':
      return sqs(request, ctx);
    case 'sns':
      return sns(request);
    case 'ses':
      return ses(request, ctx);
    case 'secretsmanager':
      return secretsManager(request);
    case 'scheduler':
      return scheduler(request, ctx);
    default:
      return [{ action: `${request.service}:Unknown`, resource: '*' }];
  }
};
