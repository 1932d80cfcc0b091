import { formatNumber as n } from './format-campaign-plan';
import { ASSUMPTIONS, DEFAULT_PRICES, type Prices } from './plan-assumptions';
import { warningsOf } from './plan-warnings';
import {
  RECIPIENTS_PER_BATCH,
  RECIPIENTS_PER_PAGE,
  RUN_FUNCTION_MEMORY_MB,
  SENDER_BATCH_SIZE,
  SENDER_MAX_CONCURRENCY,
  SENDER_MEMORY_MB,
  SENDS_IN_FLIGHT_PER_SENDER,
} from './send-pipeline-shape';

export { ASSUMPTIONS, DEFAULT_PRICES, type Prices } from './plan-assumptions';

// What a campaign send of a given size takes from the send pipeline: how long, how deep the send
// queue gets, how many senders, and what the AWS services around SES cost next to SES itself. A
// model, not a measurement: what it assumes and the prices are in plan-assumptions.ts. No AWS
// calls, so it runs anywhere (bin/plan-campaign.ts).

export interface CampaignInput {
  readonly recipients: number;
  /** The target send rate, recipients a second (the SES account's maximum send rate, say). */
  readonly rate: number;
  readonly channel?: 'email' | 'sms';
  /** One SendEmail (or SMS publish) call. */
  readonly sesLatencyMs?: number;
  readonly profileItemKb?: number;
  /** The campaign gives each recipient an offer code (one more item written). */
  readonly offer?: boolean;
  readonly prices?: Partial<Prices>;
}

export interface CostLine {
  readonly item: string;
  /** What is billed, in the service's units. */
  readonly usage: string;
  readonly total: number;
  readonly perMillion: number;
}

export type RateLimit = 'none' | 'sender-concurrency' | 'selection';

export interface CampaignPlan {
  readonly input: Required<Omit<CampaignInput, 'prices'>>;
  readonly prices: Prices;
  readonly assumptions: typeof ASSUMPTIONS;
  readonly pages: number;
  readonly batches: number;
  readonly runInvocations: number;
  readonly recipientLatencyMs: number;
  readonly senderInvocationMs: number;
  /** Senders the target rate needs, whether or not the cap allows them. */
  readonly sendersNeeded: number;
  /** Senders the plan runs: the ones needed, at most SENDER_MAX_CONCURRENCY. */
  readonly senders: number;
  readonly maxRateAtCap: number;
  /** Recipients a second once the senders are up. */
  readonly sendRate: number;
  readonly limitedBy: RateLimit;
  readonly peakQueue: {
    readonly messages: number;
    readonly recipients: number;
    readonly waitSeconds: number;
  };
  /** How long the run function takes to read and enqueue the whole audience. */
  readonly selectingSeconds: number;
  readonly rampUpSeconds: number;
  /** From the firing to the last send. */
  readonly durationSeconds: number;
  /** Request units a second at the peak, per table. */
  readonly peakUnits: {
    readonly sendRecordWrites: number;
    readonly profileWrites: number;
    readonly offerWrites: number;
    readonly sendRecordReads: number;
    readonly profileReads: number;
  };
  readonly costs: readonly CostLine[];
  readonly infrastructure: { readonly total: number; readonly perMillion: number };
  readonly messages: { readonly item: string; readonly total: number; readonly perMillion: number };
  readonly infrastructurePercent: number;
  readonly warnings: readonly string[];
  readonly verdict: { readonly withinHour: boolean; readonly underFivePercent: boolean };
}

const checkNumber = (name: string, value: number, rule: 'whole' | 'positive' | 'not negative'): void => {
  const ok =
    Number.isFinite(value) &&
    (rule === 'not negative' ? value >= 0 : value > 0) &&
    (rule !== 'whole' || Number.isInteger(value));
  const want = rule === 'whole' ? 'a whole number above 0' : rule === 'positive' ? 'above 0' : '0 or more';
  if (!ok) throw new RangeError(`${name} must be ${want}, got ${value}`);
};

const resolveInput = (input: CampaignInput): CampaignPlan['input'] => {
  const resolved = {
    recipients: input.recipients,
    rate: input.rate,
    channel: input.channel ?? 'email',
    sesLatencyMs: input.sesLatencyMs ?? 60,
    profileItemKb: input.profileItemKb ?? 2,
    offer: input.offer ?? false,
  };
  checkNumber('recipients', resolved.recipients, 'whole');
  checkNumber('rate', resolved.rate, 'positive');
  checkNumber('sesLatencyMs', resolved.sesLatencyMs, 'not negative');
  checkNumber('profileItemKb', resolved.profileItemKb, 'positive');
  if (resolved.profileItemKb > 400)
    throw new RangeError(`profileItemKb must be at most 400 (DynamoDB's item limit)`);
  if (resolved.channel !== 'email' && resolved.channel !== 'sms')
    throw new RangeError(`channel must be email or sms, got ${String(resolved.channel)}`);
  return resolved;
};

/** Request units per recipient, by what the send does for them (on-demand: 1 KB a write, 4 KB a read). */
const unitsPerRecipient = (profileKb: number, offer: boolean) => ({
  sendRecordWrites: 2 + 1 / RECIPIENTS_PER_BATCH, // claim, settle, and its share of the batch's count item
  profileWrites: Math.ceil(profileKb), // the contact log: an update is billed on the whole item
  offerWrites: offer ? 1 : 0,
  sendRecordReads: 2, // two strongly consistent batch reads of a record under 4 KB
  profileReads: Math.ceil(profileKb / 4), // strongly consistent, just before sending
  suppressionReads: 0.5, // eventually consistent
  scanReads: (0.5 * profileKb) / 4, // eventually consistent, billed on the bytes scanned
});

/** How the send runs: senders, rates, the queue's backlog and how long it all takes. */
const flowOf = ({ recipients, rate, sesLatencyMs }: CampaignPlan['input']) => {
  const a = ASSUMPTIONS;
  const recipientLatencyMs = sesLatencyMs + a.writesPerRecipient * a.writeLatencyMs;
  // Sends go in waves of SENDS_IN_FLIGHT_PER_SENDER: 100 recipients are 7 waves of 16, the last short.
  const perInvocation = RECIPIENTS_PER_BATCH * SENDER_BATCH_SIZE;
  const waves = Math.ceil(perInvocation / SENDS_IN_FLIGHT_PER_SENDER);
  const senderInvocationMs = a.batchReadsMs + waves * recipientLatencyMs;
  // Little's law: invocations in flight = invocations a second x how long each takes (less float noise).
  const sendersFor = (r: number) => Math.ceil((r / perInvocation) * (senderInvocationMs / 1000) - 1e-9);
  const maxRateAtCap = (SENDER_MAX_CONCURRENCY * perInvocation) / (senderInvocationMs / 1000);
  const sendRate = Math.min(rate, maxRateAtCap, a.selectionPerSecond);
  const limitedBy: RateLimit =
    sendRate === rate ? 'none' : sendRate === maxRateAtCap ? 'sender-concurrency' : 'selection';
  const senders = sendersFor(sendRate);
  const scaleUpSeconds = (Math.max(0, senders - a.initialSenders) / a.sendersAddedPerMinute) * 60;
  const pageSeconds = Math.min(recipients, RECIPIENTS_PER_PAGE) / a.selectionPerSecond;
  const rampUpSeconds = a.coldStartSeconds + pageSeconds + scaleUpSeconds;
  const selectingSeconds = recipients / a.selectionPerSecond;
  const runInvocations = Math.max(1, Math.ceil(selectingSeconds / a.runInvocationSeconds));
  // Done when the last batch is sent: after the senders' ramp-up and drain, or after the audience
  // is read (each run function invocation starting cold), whichever is later.
  const lastBatchSeconds = senderInvocationMs / 1000;
  const durationSeconds =
    Math.max(rampUpSeconds + recipients / sendRate, runInvocations * a.coldStartSeconds + selectingSeconds) +
    lastBatchSeconds;
  // The run function enqueues faster than the senders drain: the backlog peaks as it reads the last
  // page. When the senders keep up, the queue holds about a page.
  const backlog = recipients * (1 - sendRate / a.selectionPerSecond);
  const peakRecipients = Math.ceil(Math.max(backlog, Math.min(recipients, RECIPIENTS_PER_PAGE)));
  return {
    recipientLatencyMs,
    senderInvocationMs,
    sendersNeeded: sendersFor(rate),
    senders,
    maxRateAtCap,
    sendRate,
    limitedBy,
    peakQueue: {
      messages: Math.ceil(peakRecipients / RECIPIENTS_PER_BATCH),
      recipients: peakRecipients,
      waitSeconds: peakRecipients / sendRate,
    },
    rampUpSeconds,
    durationSeconds,
    runInvocations,
    selectingSeconds,
  };
};

type Flow = ReturnType<typeof flowOf>;

const costLines = (input: CampaignPlan['input'], flow: Flow, batches: number, prices: Prices): CostLine[] => {
  const { recipients, profileItemKb, offer } = input;
  const u = unitsPerRecipient(profileItemKb, offer);
  const line = (item: string, usage: string, total: number): CostLine => ({
    item,
    usage,
    total,
    perMillion: (total / recipients) * 1e6,
  });
  const lambda = (gbSeconds: number, requests: number) =>
    gbSeconds * prices.lambdaPerGbSecond + (requests * prices.lambdaPerMillionRequests) / 1e6;
  const runGbSeconds = flow.selectingSeconds * (RUN_FUNCTION_MEMORY_MB / 1024);
  const senderInvocations = Math.ceil(batches / SENDER_BATCH_SIZE);
  const senderGbSeconds = senderInvocations * (flow.senderInvocationMs / 1000) * (SENDER_MEMORY_MB / 1024);
  // Every message is sent, received and deleted once (a SendMessageBatch counted as one request a
  // message, to be safe); the run's firing and handovers are three more each; deferrals not modelled.
  const sqsRequests = 3 * batches + 3 * flow.runInvocations;
  const writes = recipients * (u.sendRecordWrites + u.profileWrites + u.offerWrites);
  const reads = recipients * (u.sendRecordReads + u.profileReads + u.suppressionReads + u.scanReads);
  return [
    line(
      'Lambda run function',
      `${n(runGbSeconds)} GB-s, ${n(flow.runInvocations)} invocations`,
      lambda(runGbSeconds, flow.runInvocations),
    ),
    line(
      'Lambda sender',
      `${n(senderGbSeconds)} GB-s, ${n(senderInvocations)} invocations`,
      lambda(senderGbSeconds, senderInvocations),
    ),
    line(
      'SQS',
      `${n(sqsRequests)} requests, 0 deferral re-enqueues`,
      (sqsRequests * prices.sqsPerMillionRequests) / 1e6,
    ),
    line(
      'DynamoDB writes',
      `${n(writes)} WRU (${n(writes / recipients, 2)} a recipient)`,
      (writes * prices.dynamoDbPerMillionWrites) / 1e6,
    ),
    line(
      'DynamoDB reads',
      `${n(reads)} RRU (${n(reads / recipients, 2)} a recipient)`,
      (reads * prices.dynamoDbPerMillionReads) / 1e6,
    ),
    line('EventBridge Scheduler', '1 invocation', prices.schedulerPerMillionInvocations / 1e6),
  ];
};

const peakUnitsOf = (input: CampaignPlan['input'], flow: Flow): CampaignPlan['peakUnits'] => {
  const u = unitsPerRecipient(input.profileItemKb, input.offer);
  const r = flow.sendRate;
  return {
    sendRecordWrites: r * u.sendRecordWrites,
    profileWrites: r * u.profileWrites,
    offerWrites: r * u.offerWrites,
    sendRecordReads: r * u.sendRecordReads,
    // The Scan reads at the selection's pace while the senders read at theirs.
    profileReads: r * u.profileReads + ASSUMPTIONS.selectionPerSecond * u.scanReads,
  };
};

/** The plan of one campaign send: throws a RangeError naming the faulty input. */
export const planCampaign = (campaign: CampaignInput): CampaignPlan => {
  const input = resolveInput(campaign);
  const prices = { ...DEFAULT_PRICES, ...campaign.prices };
  const flow = flowOf(input);
  const batches = Math.ceil(input.recipients / RECIPIENTS_PER_BATCH);
  const costs = costLines(input, flow, batches, prices);
  const infrastructure = costs.reduce((sum, c) => sum + c.total, 0);
  const messageTotal =
    input.channel === 'email'
      ? (input.recipients * prices.sesPerThousandEmails) / 1000
      : input.recipients * prices.smsPerMessage;
  const perMillion = (total: number) => (total / input.recipients) * 1e6;
  const infrastructurePercent = (100 * infrastructure) / messageTotal;
  const plan: Omit<CampaignPlan, 'warnings' | 'verdict'> = {
    input,
    prices,
    assumptions: ASSUMPTIONS,
    pages: Math.ceil(input.recipients / RECIPIENTS_PER_PAGE),
    batches,
    ...flow,
    peakUnits: peakUnitsOf(input, flow),
    costs,
    infrastructure: { total: infrastructure, perMillion: perMillion(infrastructure) },
    messages: {
      item: input.channel === 'email' ? 'SES email' : 'SMS (US price)',
      total: messageTotal,
      perMillion: perMillion(messageTotal),
    },
    infrastructurePercent,
  };
  return {
    ...plan,
    warnings: warningsOf(plan),
    verdict: { withinHour: flow.durationSeconds <= 3600, underFivePercent: infrastructurePercent < 5 },
  };
};

export { formatCampaignPlan } from './format-campaign-plan';
