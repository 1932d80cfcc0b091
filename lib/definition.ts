/**
 * The one declarative description of Rekindle's resources, functions and triggers.
 *
 * Both the CDK stack (`lib/rekindle-stack.ts`) and the local runner (`local/`) are built from this
 * file, and `test/definition-agreement.test.ts` proves that what the synthesized template wires up
 * is exactly what the local runner serves. This file must not import aws-cdk-lib or any AWS SDK:
 * it is plain data.
 */

import { campaignFunctions } from './campaign-functions';
import { runFunctions } from './run-functions';
import { segmentFunctions } from './segment-functions';
import { suppressionFunctions } from './suppression-functions';
import { templateFunctions } from './template-functions';

export type TableName =
  | 'profiles'
  | 'identifiers'
  | 'events'
  | 'jobs'
  | 'apiKeys'
  | 'campaigns'
  | 'suppressions';

export interface TableSpec {
  /** Attribute names of the primary key; every key attribute is a string. */
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly globalIndexes?: readonly { name: string; partitionKey: string; sortKey?: string }[];
  /** Attribute holding an epoch-seconds expiry (DynamoDB TTL). */
  readonly timeToLive?: string;
  readonly description: string;
}

export const tables: Readonly<Record<TableName, TableSpec>> = {
  profiles: {
    partitionKey: 'profileId',
    globalIndexes: [
      // Written by the scoring job (see functions/scoring-job/profile-scores.ts): "lapsed and gold",
      // "at risk and key" ... read as one Query each, best customers (highest CLV) first.
      { name: 'byLifecycleTier', partitionKey: 'scoreLifecycleTier', sortKey: 'scoreRank' },
      { name: 'byValueRisk', partitionKey: 'scoreCell', sortKey: 'scoreRank' },
    ],
    description:
      'One item per customer profile: the single customer view, with its latest scores and their index keys.',
  },
  identifiers: {
    partitionKey: 'identifier',
    description:
      'Uniqueness markers (`email#…`, `phone#…`, `externalId#…`) pointing at their profile, written in the same transaction as the profile.',
  },
  events: {
    partitionKey: 'profileId',
    sortKey: 'eventKey',
    description: 'What each customer did or received (purchases, visits, sends), keyed per profile.',
  },
  /**
   * The jobs table's key layout, the one place it is written down (each store owns its part):
   * - `IMPORT#<importId>` / `IMPORT`: an import's record with its lease (dynamodb-import-store.ts);
   *   `IMPORT#<importId>` / `CHUNK#<00000000>`: its chunk journal; `IMPORTS` / `<startedAt>#<importId>`:
   *   the listing.
   * - `SCORING` / `RUN#<runId>`: scoring runs, ids sorting by time (dynamodb-scoring-run-store.ts).
   * - `RUN#<runId>` / `RUN`: a campaign run with its lease and audience position; `RUN#<runId>` /
   *   `SEND#<profileId>`: its one send record per profile (functions/runs; the win-back's older
   *   runs in the same layout, dynamodb-campaign-run-store.ts);
   *   `RUN#<runId>` / `COUNT#<batch>`: the counts of one send batch; `RUNS#<campaignId>` /
   *   `<scheduledTime>#<runId>`: a campaign's runs (functions/runs/dynamodb-run-store.ts).
   * - `OFFER#<code>` / `OFFER`: an offer code issued to one recipient (functions/offers).
   * - `RATE#<channel>` / `<epoch second>`: the account-wide send rate's window of one second
   *   (functions/runs/dynamodb-send-rate.ts), the only items that expire (`expiresAt`, an hour on).
   * Leases live on the job's item as `leaseOwner` and `leaseUntil` (functions/jobs). Imports, runs,
   * send records and offers never expire: they are the audit of what was done to whom.
   */
  jobs: {
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLive: 'expiresAt',
    description:
      'Operational state: imports and their chunk journals, scoring runs, campaign runs and their one-per-profile send records.',
  },
  apiKeys: {
    partitionKey: 'keyHash',
    description: 'API keys, stored as SHA-256 hashes with their scopes.',
  },
  /**
   * What marketers define, each kind in a partition of its own (its store owns the layout):
   * - `SEGMENT` / `<segmentId>`: a segment with `usedBy`, the segments and campaigns referring to it;
   *   `SEGMENT_NAME` / `<lower-case name>`: the name's owner (dynamodb-segment-store.ts).
   * - `TEMPLATE` / `<templateId>`: a template's current version with `usedBy`;
   *   `TEMPLATE#<templateId>` / `V#<000001>`: every version as saved (dynamodb-template-store.ts).
   * - `CAMPAIGN` / `<campaignId>`: a campaign as defined, with status and version; its id is in the
   *   `usedBy` of its segment and templates (dynamodb-campaign-store.ts).
   */
  campaigns: {
    partitionKey: 'pk',
    sortKey: 'sk',
    description: 'Segments, templates and campaigns: what marketers define.',
  },
  suppressions: {
    partitionKey: 'suppressionKey',
    description:
      'Addresses never to contact (`email#…`, `sms#…`): permanent bounces, complaints, and those added by hand.',
  },
};

export const tableNames = Object.keys(tables) as TableName[];

/** The drop bucket: customer and transaction files arrive under `imports/`, reports go under `reports/`. */
export const dropBucket = {
  importsPrefix: 'imports/',
  reportsPrefix: 'reports/',
  /** Days after which processed import files are expired by the lifecycle rule. */
  expireImportsAfterDays: 90,
  expireReportsAfterDays: 365,
} as const;

export type QueueName =
  | 'profileImports'
  | 'transactionImports'
  | 'scoringRuns'
  | 'campaignStarts'
  | 'campaignSends';

export interface QueueSpec {
  readonly description: string;
  /** Seconds a received message stays hidden; at least 6x the consumer's timeout in AWS. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

export const queues: Readonly<Record<QueueName, QueueSpec>> = {
  profileImports: {
    description:
      'S3 object-created notifications for profile files under imports/profiles/, and continuations of imports too large for one run.',
    visibilityTimeoutSeconds: 900 * 6,
    maxReceiveCount: 5,
  },
  transactionImports: {
    description:
      'S3 object-created notifications for transaction files under imports/transactions/, and continuations of imports too large for one run.',
    visibilityTimeoutSeconds: 900 * 6,
    maxReceiveCount: 5,
  },
  scoringRuns: {
    description:
      'Scoring runs requested through POST /scoring/runs, and continuations of runs too large for one invocation.',
    visibilityTimeoutSeconds: 900 * 6,
    maxReceiveCount: 3,
  },
  campaignStarts: {
    description:
      'Campaign runs to start: the firings of campaign schedules (EventBridge Scheduler sends them here, `{campaignId, scheduledTime}`), manual fires, and the runs’ continuations and completion checks.',
    visibilityTimeoutSeconds: 900 * 6,
    maxReceiveCount: 3,
  },
  campaignSends: {
    description:
      'Batches of a run’s recipients for the sender, and the sender’s deferrals (quiet hours, local time, throttling, the daily quota, a paused campaign).',
    visibilityTimeoutSeconds: 120 * 6,
    maxReceiveCount: 5,
  },
};

export type TopicName = 'ops';

export const topics: Readonly<Record<TopicName, { description: string }>> = {
  ops: { description: 'Operational notices: import summaries, alarms, model drift.' },
};

export type Scope = 'read' | 'write' | 'admin';
export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

export type Trigger =
  /** An HTTP API route. `auth: 'apiKey'` routes pass through the API's Lambda authorizer and need `scope`. */
  | {
      readonly kind: 'http';
      readonly method: HttpMethod;
      readonly path: string;
      readonly auth: 'apiKey';
      readonly scope: Scope;
    }
  | { readonly kind: 'http'; readonly method: HttpMethod; readonly path: string; readonly auth: 'public' }
  /** The HTTP API's `$default` route: every request no other route matches. */
  | { readonly kind: 'httpDefault' }
  /** The HTTP API's Lambda (REQUEST, simple response, payload 2.0) authorizer. */
  | { readonly kind: 'httpAuthorizer' }
  /** S3 object-created notifications under `prefix` in the drop bucket, delivered through `queue`. */
  | {
      readonly kind: 's3';
      readonly prefix: string;
      readonly queue: QueueName;
      readonly batchSize: number;
      readonly maxConcurrency: number;
    }
  /** Messages other functions send to `queue` (work requests, continuations), as an SQS event source. */
  | {
      readonly kind: 'queue';
      readonly queue: QueueName;
      readonly batchSize: number;
      readonly maxConcurrency: number;
    }
  /**
   * An EventBridge Scheduler schedule. `expressionSetting` and `timezoneSetting` name the settings
   * (see `settings` below) that hold the cron expression and the IANA time zone. The input is
   * delivered as the event, with `<aws.scheduler.scheduled-time>` and `<aws.scheduler.execution-id>`
   * replaced by Scheduler (and by the local runner) with the firing's values.
   */
  | {
      readonly kind: 'schedule';
      readonly id: string;
      readonly expressionSetting: SettingName;
      readonly timezoneSetting: SettingName;
      readonly input: Readonly<Record<string, string>>;
    }
  /**
   * Once when the stack is first deployed (and again whenever the hook's `version` changes): a
   * CloudFormation custom resource whose requests the function answers at their `ResponseURL`. The
   * local runner sends the same Create request at each start and waits for the answer, so a hook
   * must be idempotent (it is run again on every start and on CloudFormation's retries).
   */
  | { readonly kind: 'deployment'; readonly id: string; readonly version: string };

export interface FunctionAccess {
  readonly tables?: Partial<Readonly<Record<TableName, 'read' | 'write'>>>;
  /** Key prefixes of the drop bucket the function reads and writes. */
  readonly dropBucket?: { readonly read?: readonly string[]; readonly write?: readonly string[] };
  readonly sendEmail?: boolean;
  readonly sendSms?: boolean;
  readonly publishOps?: boolean;
  /** Reads the secret that signs unsubscribe links. */
  readonly unsubscribeSecret?: boolean;
  /** Queues the function sends messages to (an import's continuation when a file outlasts one run). */
  readonly sendToQueues?: readonly QueueName[];
  /**
   * Creates, changes and deletes the campaign schedules (EventBridge Scheduler, in the stage's
   * campaign schedule group) and passes them the role Scheduler sends their firings with.
   */
  readonly manageCampaignSchedules?: boolean;
  /** Reads the account's SES sending quota (`ses:GetAccount`), to keep under its rate and daily limit. */
  readonly readSendQuota?: boolean;
}

export interface FunctionSpec {
  /** `<verb>-<noun>`, also the file name under `functions/handlers/`. */
  readonly name: string;
  readonly description: string;
  readonly triggers: readonly Trigger[];
  readonly access: FunctionAccess;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /**
   * V8 heap limit (`--max-old-space-size`). Without one V8 grows the heap lazily up to the memory
   * it sees; with one, a streaming import stays far below its peak-memory budget.
   */
  readonly maxHeapMb?: number;
}

/** Where a function's code lives: `functions/handlers/<name>.ts`, exporting `handler`. */
export const entryOf = (fn: FunctionSpec): string => `functions/handlers/${fn.name}.ts`;

const profileRead = { tables: { profiles: 'read', identifiers: 'read' } } as const;
const profileWrite = { tables: { profiles: 'write', identifiers: 'write' } } as const;

export const functions: readonly FunctionSpec[] = [
  ...segmentFunctions,
  ...templateFunctions,
  ...suppressionFunctions,
  ...campaignFunctions,
  ...runFunctions,
  {
    name: 'authorize-request',
    description: 'HTTP API authorizer: resolves the Bearer API key to its scopes.',
    triggers: [{ kind: 'httpAuthorizer' }],
    access: { tables: { apiKeys: 'read' } },
  },
  {
    name: 'put-profile',
    description: 'Create or replace a profile.',
    triggers: [
      { kind: 'http', method: 'PUT', path: '/profiles/{profileId}', auth: 'apiKey', scope: 'write' },
    ],
    access: profileWrite,
  },
  {
    name: 'patch-profile',
    description: 'Change some fields of a profile.',
    triggers: [
      { kind: 'http', method: 'PATCH', path: '/profiles/{profileId}', auth: 'apiKey', scope: 'write' },
    ],
    access: profileWrite,
  },
  {
    name: 'get-profile',
    description: 'Read one profile.',
    triggers: [{ kind: 'http', method: 'GET', path: '/profiles/{profileId}', auth: 'apiKey', scope: 'read' }],
    access: profileRead,
  },
  {
    name: 'delete-profile',
    description: 'Erase a profile, its identifier records and its events.',
    triggers: [
      { kind: 'http', method: 'DELETE', path: '/profiles/{profileId}', auth: 'apiKey', scope: 'admin' },
    ],
    access: { tables: { profiles: 'write', identifiers: 'write', events: 'write' } },
  },
  {
    name: 'list-profiles',
    description: 'Page through profiles, or look one up by email or phone.',
    triggers: [{ kind: 'http', method: 'GET', path: '/profiles', auth: 'apiKey', scope: 'read' }],
    access: profileRead,
  },
  {
    name: 'get-import',
    description: 'Status and counts of one drop-folder import.',
    triggers: [{ kind: 'http', method: 'GET', path: '/imports/{importId}', auth: 'apiKey', scope: 'read' }],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'get-run',
    description: 'One campaign run by its id (and the runs of the retired reactivation function).',
    triggers: [{ kind: 'http', method: 'GET', path: '/runs/{runId}', auth: 'apiKey', scope: 'read' }],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'unsubscribe-contact',
    description: 'One-click unsubscribe (RFC 8058) and its confirmation page, authorised by a signed token.',
    triggers: [
      { kind: 'http', method: 'GET', path: '/unsubscribe', auth: 'public' },
      { kind: 'http', method: 'POST', path: '/unsubscribe', auth: 'public' },
    ],
    access: { tables: { profiles: 'write' }, unsubscribeSecret: true },
  },
  {
    name: 'get-openapi',
    description: 'The OpenAPI 3.1 document of this API.',
    triggers: [{ kind: 'http', method: 'GET', path: '/openapi.json', auth: 'public' }],
    access: {},
  },
  {
    name: 'route-not-found',
    description: 'Answers every unknown route with a 404 in the API error shape.',
    triggers: [{ kind: 'httpDefault' }],
    access: {},
  },
  {
    name: 'list-imports',
    description: 'Recent drop-folder imports with live progress.',
    triggers: [{ kind: 'http', method: 'GET', path: '/imports', auth: 'apiKey', scope: 'read' }],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'create-import',
    description: 'Registers the manifest of a file to be dropped (the same object as a sidecar manifest).',
    triggers: [{ kind: 'http', method: 'POST', path: '/imports', auth: 'apiKey', scope: 'write' }],
    access: { tables: { jobs: 'read' }, dropBucket: { write: ['imports/'] } },
  },
  {
    name: 'post-events',
    description:
      'Records a batch of customer events (purchases, refunds, visits ...), idempotent by eventId.',
    triggers: [{ kind: 'http', method: 'POST', path: '/events', auth: 'apiKey', scope: 'write' }],
    access: { tables: { profiles: 'write', identifiers: 'write', events: 'write' } },
  },
  {
    name: 'get-quality',
    description:
      'The data quality report: sources, contactability, consent, duplicates, conflicts, staleness, rejects.',
    triggers: [{ kind: 'http', method: 'GET', path: '/quality', auth: 'apiKey', scope: 'read' }],
    access: { tables: { profiles: 'read', jobs: 'read' } },
    timeoutSeconds: 60,
  },
  {
    name: 'import-profiles',
    description: 'Imports a profile file dropped under imports/profiles/ and writes its reports.',
    triggers: [
      { kind: 's3', prefix: 'imports/profiles/', queue: 'profileImports', batchSize: 1, maxConcurrency: 2 },
    ],
    access: {
      // campaigns: a manifest's `segment` is saved there as a static list (a segment).
      tables: { profiles: 'write', identifiers: 'write', jobs: 'write', campaigns: 'write' },
      dropBucket: { read: ['imports/'], write: ['reports/'] },
      publishOps: true,
      sendToQueues: ['profileImports'],
    },
    timeoutSeconds: 900,
    memoryMb: 1024,
    maxHeapMb: 320,
  },
  {
    name: 'import-transactions',
    description:
      'Imports a transaction file dropped under imports/transactions/ as purchase and refund events.',
    triggers: [
      {
        kind: 's3',
        prefix: 'imports/transactions/',
        queue: 'transactionImports',
        batchSize: 1,
        maxConcurrency: 2,
      },
    ],
    access: {
      tables: { profiles: 'write', identifiers: 'write', events: 'write', jobs: 'write' },
      dropBucket: { read: ['imports/'], write: ['reports/'] },
      publishOps: true,
      sendToQueues: ['transactionImports'],
    },
    timeoutSeconds: 900,
    memoryMb: 1024,
    maxHeapMb: 320,
  },
  {
    name: 'create-scoring-run',
    description: 'Requests a scoring run (optionally as of a past instant, in days or weeks); answers 202.',
    triggers: [{ kind: 'http', method: 'POST', path: '/scoring/runs', auth: 'apiKey', scope: 'write' }],
    access: { tables: { jobs: 'write' }, sendToQueues: ['scoringRuns'] },
  },
  {
    name: 'list-scoring-runs',
    description: 'Recent scoring runs, newest first.',
    triggers: [{ kind: 'http', method: 'GET', path: '/scoring/runs', auth: 'apiKey', scope: 'read' }],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'get-scoring-run',
    description: 'One scoring run: parameters, fit, counts per segment and tier, back-test, duration.',
    triggers: [{ kind: 'http', method: 'GET', path: '/scoring/runs/{runId}', auth: 'apiKey', scope: 'read' }],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'get-rfm-grid',
    description: 'The 5 x 5 recency-by-frequency grid of the latest (or a given) scoring run.',
    triggers: [{ kind: 'http', method: 'GET', path: '/analytics/rfm', auth: 'apiKey', scope: 'read' }],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'get-value-matrix',
    description: 'The value-tier x churn-risk matrix of the latest (or a given) scoring run.',
    triggers: [
      { kind: 'http', method: 'GET', path: '/analytics/value-matrix', auth: 'apiKey', scope: 'read' },
    ],
    access: { tables: { jobs: 'read' } },
  },
  {
    name: 'score-customers',
    description:
      'Fits the customer-base models on all purchase history and writes every profile its scores (nightly and on request).',
    triggers: [
      {
        kind: 'schedule',
        id: 'nightly-scoring',
        expressionSetting: 'scoringSchedule',
        timezoneSetting: 'scheduleTimezone',
        input: { job: 'scoring', scheduledTime: '<aws.scheduler.scheduled-time>' },
      },
      { kind: 'queue', queue: 'scoringRuns', batchSize: 1, maxConcurrency: 2 },
    ],
    access: {
      tables: { profiles: 'write', events: 'read', jobs: 'write' },
      publishOps: true,
      sendToQueues: ['scoringRuns'],
    },
    timeoutSeconds: 600,
    memoryMb: 3008,
  },
];

/**
 * Settings: every one has a default, can be set through CDK context (`-c name=value` or cdk.json)
 * for a deployment and through the environment variable `env` locally. Functions read them from
 * their environment under the same `env` name.
 */
export const settings = {
  stage: { env: 'STAGE', default: 'dev', description: 'Deployment stage, part of every resource name.' },
  defaultCountry: {
    env: 'DEFAULT_COUNTRY',
    default: 'GB',
    description: 'ISO country used to read phone numbers written without a country code.',
  },
  fromAddress: {
    env: 'FROM_ADDRESS',
    default: 'Rekindle <hello@example.com>',
    description: 'Sender of campaign email (a verified SES identity in AWS).',
  },
  replyToAddress: {
    env: 'REPLY_TO_ADDRESS',
    default: '',
    description: 'Optional Reply-To of campaign email.',
  },
  unsubscribeMailto: {
    env: 'UNSUBSCRIBE_MAILTO',
    default: '',
    description: 'Optional mailbox added to List-Unsubscribe as a mailto: alternative.',
  },
  unsubscribeLinkDays: {
    env: 'UNSUBSCRIBE_LINK_DAYS',
    default: '365',
    description:
      'Days an unsubscribe link works after its message was sent; an older one shows a page that says how to get a new one.',
  },
  smsSenderId: { env: 'SMS_SENDER_ID', default: '', description: 'Optional alphanumeric SMS sender id.' },
  reactivationSchedule: {
    env: 'REACTIVATION_SCHEDULE',
    default: 'cron(0 10 ? * WED *)',
    description:
      'When the win-back preset fires (an EventBridge Scheduler cron, read in scheduleTimezone); was the reactivation run’s schedule.',
  },
  scheduleTimezone: {
    env: 'SCHEDULE_TIMEZONE',
    default: 'Europe/London',
    description:
      'The business time zone: schedules are read in it, and it is the recipients’ zone of last resort.',
  },
  reactivationLapsedDays: {
    env: 'REACTIVATION_LAPSED_DAYS',
    default: '180',
    description:
      'The win-back preset selects an unscored customer whose last purchase and last activity are older than this many days.',
  },
  reactivationCooldownDays: {
    env: 'REACTIVATION_COOLDOWN_DAYS',
    default: '30',
    description: 'The win-back preset leaves out a customer it reached within this many days.',
  },
  reactivationSubject: {
    env: 'REACTIVATION_SUBJECT',
    default: 'We miss you, {{firstName}}',
    description: 'Subject of the win-back preset’s email ({{firstName}} is replaced).',
  },
  winBackMinValueTier: {
    env: 'WIN_BACK_MIN_VALUE_TIER',
    default: 'general',
    description:
      'The lowest value tier the win-back preset selects (tiers best first: gold, key, quality, general, restricted, eliminated by default).',
  },
  winBackOnFirstDeployment: {
    env: 'WIN_BACK_ON_FIRST_DEPLOYMENT',
    default: 'active',
    description:
      'The win-back campaign the first deployment creates from these settings (the weekly run this replaces): `active`, `paused` (created, fires when resumed) or `none`.',
  },
  reactivationOffer: {
    env: 'REACTIVATION_OFFER',
    default: 'Come back this week and take 20% off your next order.',
    description: 'The offer line of the win-back preset’s email and SMS.',
  },
  baseCurrency: {
    env: 'BASE_CURRENCY',
    default: 'USD',
    description: 'ISO 4217 currency that spend aggregates are kept in.',
  },
  currencyRates: {
    env: 'CURRENCY_RATES',
    default: '{}',
    description:
      'JSON of rates to the base currency, e.g. {"EUR":1.08,"GBP":1.27}; other currencies are refused.',
  },
  earliestEventDate: {
    env: 'EARLIEST_EVENT_DATE',
    default: '1970-01-01',
    description: 'Events (purchases, refunds, visits...) dated before this day are refused, through the API.',
  },
  staleProfileMonths: {
    env: 'STALE_PROFILE_MONTHS',
    default: '24',
    description: 'The quality report counts a profile stale after this many months without new data.',
  },
  scoringSchedule: {
    env: 'SCORING_SCHEDULE',
    default: 'cron(0 2 * * ? *)',
    description: 'EventBridge Scheduler expression of the nightly scoring run.',
  },
  scoringTimeUnit: {
    env: 'SCORING_TIME_UNIT',
    default: 'week',
    description: 'Time unit of scheduled scoring runs: `day` or `week` (a request may choose its own).',
  },
  scoringDriftThreshold: {
    env: 'SCORING_DRIFT_THRESHOLD',
    default: '0.2',
    description:
      'Relative error of the back-test (predicted vs actual purchases since the previous run) above which a run flags drift on the ops topic.',
  },
  scoringOptions: {
    env: 'SCORING_OPTIONS',
    default: '{}',
    description:
      'JSON overriding the scoring defaults: `valueTiers`, `churnBands`, `rfm.segmentMap`, `clv` (margin, monthly discount rate, horizon), `nextPeriods`, `lifecycle`.',
  },
  frequencyCapPerDay: {
    env: 'FREQUENCY_CAP_PER_DAY',
    default: '1',
    description:
      'Marketing messages a profile gets per channel and calendar day in its time zone, across all campaigns (a campaign may be stricter).',
  },
  frequencyCapPerWeek: {
    env: 'FREQUENCY_CAP_PER_WEEK',
    default: '3',
    description:
      'Marketing messages a profile gets per channel in 7 rolling days, across all campaigns (at most 20).',
  },
  globalControlShare: {
    env: 'GLOBAL_CONTROL_SHARE',
    default: '0',
    description:
      'Share of all profiles (0-0.2) that gets no marketing campaign at all, to measure the lift of the whole programme.',
  },
  emailRatePerSecond: {
    env: 'EMAIL_RATE_PER_SECOND',
    default: '0',
    description:
      'Cap on emails per second across all campaigns; 0 for the account’s SES MaxSendRate (the lower of the two always applies).',
  },
  smsRatePerSecond: {
    env: 'SMS_RATE_PER_SECOND',
    default: '20',
    description: 'Cap on SMS per second across all campaigns (SNS’s default account limit is 20).',
  },
  smsOptOutText: {
    env: 'SMS_OPT_OUT_TEXT',
    default: 'Reply STOP to opt out',
    description: 'Appended to a marketing SMS that does not already carry it (counted in its parts).',
  },
  quietHours: {
    env: 'QUIET_HOURS',
    default: '21:00-08:00',
    description:
      'No message goes out in these hours of the recipient’s time zone (deferred to their end); `off` for none. A campaign may set its own.',
  },
  logLevel: { env: 'LOG_LEVEL', default: 'INFO', description: 'Powertools log level.' },
} as const satisfies Record<string, { env: string; default: string; description: string }>;

export type SettingName = keyof typeof settings;

/** Environment variables that carry resource names to functions (set by CDK and by the local runner). */
export const resourceEnv = {
  table: (name: TableName) => `TABLE_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
  dropBucket: 'DROP_BUCKET',
  opsTopicArn: 'OPS_TOPIC_ARN',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  publicApiUrl: 'PUBLIC_API_URL',
  /** The ARN of the Secrets Manager secret that signs unsubscribe links. */
  unsubscribeSecretArn: 'UNSUBSCRIBE_SECRET_ARN',
  queueUrl: (name: QueueName) => `QUEUE_URL_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
  /** Campaign schedules: their group, what they fire (the campaignStarts queue), the role and DLQ. */
  campaignScheduleGroup: 'CAMPAIGN_SCHEDULE_GROUP',
  campaignScheduleTargetArn: 'CAMPAIGN_SCHEDULE_TARGET_ARN',
  campaignSchedulerRoleArn: 'CAMPAIGN_SCHEDULER_ROLE_ARN',
  campaignScheduleDeadLetterArn: 'CAMPAIGN_SCHEDULE_DLQ_ARN',
} as const;

/** Route key in API Gateway's form: `GET /profiles/{profileId}`. */
export const routeKey = (t: { method: string; path: string }): string => `${t.method} ${t.path}`;

export interface HttpRoute {
  readonly fn: FunctionSpec;
  readonly method: HttpMethod;
  readonly path: string;
  readonly auth: 'apiKey' | 'public';
  readonly scope?: Scope;
}

/** Every HTTP route with the function that serves it. */
export const httpRoutes = (): HttpRoute[] =>
  functions.flatMap((fn) =>
    fn.triggers.flatMap((t) =>
      t.kind === 'http'
        ? [
            {
              fn,
              method: t.method,
              path: t.path,
              auth: t.auth,
              ...(t.auth === 'apiKey' ? { scope: t.scope } : {}),
            },
          ]
        : [],
    ),
  );
