import { formatNumber as n } from './format-campaign-plan';
import type { CampaignPlan } from './plan-campaign';
import { SENDER_MAX_CONCURRENCY } from './send-pipeline-shape';

// What a plan's figures mean for running the send: the rate it cannot reach, the pace the senders
// must keep, and the tables that a new on-demand capacity would throttle.

type PlanFigures = Omit<CampaignPlan, 'warnings' | 'verdict'>;

const rateLimit = (plan: PlanFigures): string[] => {
  const { input, limitedBy, maxRateAtCap, sendersNeeded, assumptions: a } = plan;
  if (limitedBy === 'sender-concurrency')
    return [
      `Rate limited: ${SENDER_MAX_CONCURRENCY} senders (SENDER_MAX_CONCURRENCY) sustain at most ${n(maxRateAtCap)}/s, below ${n(input.rate)}/s; ${sendersNeeded} would be needed.`,
    ];
  if (limitedBy === 'selection')
    return [
      `Rate limited: the run function reads about ${n(a.selectionPerSecond)} recipients/s, below ${n(input.rate)}/s.`,
    ];
  return [];
};

/** A backlog makes the event source add senders up to the cap, whatever the target rate. */
const pacing = (plan: PlanFigures): string[] => {
  const burstRate = Math.min(plan.maxRateAtCap, plan.assumptions.selectionPerSecond);
  if (burstRate <= plan.input.rate) return [];
  return [
    `Pacing: a backlog scales the senders to all ${SENDER_MAX_CONCURRENCY}, which could send ${n(burstRate)}/s: a shared send rate must hold them to ${n(plan.input.rate)}/s (SES refuses sends over the account's rate), and their waiting is billed (sender Lambda up to ${n(SENDER_MAX_CONCURRENCY / plan.senders, 1)}x the figure above); a cap of ${plan.senders} would not wait.`,
  ];
};

const tables = (plan: PlanFigures): string[] => {
  const { peakUnits: peak, assumptions: a } = plan;
  const byTable: [string, number, number][] = [
    ['send records', peak.sendRecordWrites, peak.sendRecordReads],
    ['profiles', peak.profileWrites, peak.profileReads],
    ['offers', peak.offerWrites, 0],
  ];
  return byTable.flatMap(([table, writes, reads]) => {
    const over = [
      writes > a.newTableWritesPerSecond
        ? [`${n(writes)} WRU/s`, `${n(a.newTableWritesPerSecond)} WRU/s`]
        : [],
      reads > a.newTableReadsPerSecond ? [`${n(reads)} RRU/s`, `${n(a.newTableReadsPerSecond)} RRU/s`] : [],
    ].filter((pair) => pair.length > 0);
    if (over.length === 0) return [];
    const peakPart = over.map(([value]) => value).join(' and ');
    const newPart = over.map(([, value]) => value).join(' and ');
    return [
      `DynamoDB: ${table} take ${peakPart} at the peak, where a new on-demand table serves ${newPart} at once: pre-warm it (warm throughput) or it throttles while it scales.`,
    ];
  });
};

const sms = (plan: PlanFigures): string[] =>
  plan.input.channel === 'sms'
    ? [
        'SMS: the rate is bounded by the origination numbers’ messages-per-second quota (per country and number type), and the price by the destination country; the ratio uses the US price.',
      ]
    : [];

/** What to act on before the send, given the plan's figures. */
export const warningsOf = (plan: PlanFigures): string[] => [
  ...rateLimit(plan),
  ...pacing(plan),
  ...tables(plan),
  ...sms(plan),
];
