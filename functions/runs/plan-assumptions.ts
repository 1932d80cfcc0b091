// What the campaign planner (plan-campaign.ts) takes as given: list prices, and estimates of how
// fast the pipeline's parts run. Estimates, to be replaced by measured figures as the pipeline runs.

/** List prices, us-east-1, on-demand, x86 Lambda, no free tier (December 2026). */
export interface Prices {
  readonly lambdaPerGbSecond: number;
  readonly lambdaPerMillionRequests: number;
  readonly sqsPerMillionRequests: number;
  readonly dynamoDbPerMillionWrites: number;
  readonly dynamoDbPerMillionReads: number;
  readonly schedulerPerMillionInvocations: number;
  readonly sesPerThousandEmails: number;
  /** SMS is priced per destination country: this is the US price. */
  readonly smsPerMessage: number;
}

export const DEFAULT_PRICES: Prices = {
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerMillionRequests: 0.2,
  sqsPerMillionRequests: 0.4,
  dynamoDbPerMillionWrites: 0.625,
  dynamoDbPerMillionReads: 0.125,
  schedulerPerMillionInvocations: 1,
  sesPerThousandEmails: 0.1,
  smsPerMessage: 0.00581,
};

/** What the plan takes for granted about the running pipeline: estimates, to replace with measurements. */
export const ASSUMPTIONS = {
  /** Recipients one run function invocation reads from the audience and enqueues per second. */
  selectionPerSecond: 5000,
  /** DynamoDB writes on each recipient's path (claim, settle, contact log) and the latency of one. */
  writesPerRecipient: 3,
  writeLatencyMs: 8,
  /** Per sender invocation: the profile, send-record (twice) and suppression batch reads, one after another. */
  batchReadsMs: 40,
  coldStartSeconds: 1,
  /** A run function invocation's work before it hands over: the 900 s timeout less the 2 minute reserve. */
  runInvocationSeconds: 780,
  /** An SQS event source starts 5 concurrent invocations and adds up to 300 a minute while messages wait. */
  initialSenders: 5,
  sendersAddedPerMinute: 300,
  /** What a new on-demand table serves at once; above it throttles while it scales (up to 30 minutes). */
  newTableWritesPerSecond: 4000,
  newTableReadsPerSecond: 12000,
} as const;
