import type { CampaignPlan } from './plan-campaign';
import {
  RECIPIENTS_PER_BATCH,
  RECIPIENTS_PER_PAGE,
  SENDER_MAX_CONCURRENCY,
  SENDS_IN_FLIGHT_PER_SENDER,
} from './send-pipeline-shape';

// The plan as plain text for a terminal: one line per figure, its value lined up, and what it
// means beside it; then the costs, the warnings and a one-line verdict.

/** A number in en-US with thousands separators and `digits` decimals. */
export const formatNumber = (v: number, digits = 0): string =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const n = formatNumber;

/** Dollars to the cent from $1, else to 3 significant digits (a cost per million can be $0.0000001). */
const usd = (v: number) =>
  v >= 1
    ? `$${n(v, 2)}`
    : v === 0
      ? '$0'
      : `$${v.toLocaleString('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 12 })}`;

export const formatDuration = (seconds: number): string =>
  seconds < 120
    ? `${n(seconds, 1)} s`
    : seconds < 7200
      ? `${n(seconds / 60, 1)} min`
      : `${n(seconds / 3600, 1)} h`;

const row = (label: string, value: string, note = '') =>
  `  ${label.padEnd(24)}${value.padStart(12)}   ${note}`.trimEnd();

const header = (plan: CampaignPlan): string => {
  const { recipients, rate, channel, sesLatencyMs, profileItemKb, offer } = plan.input;
  const call = channel === 'email' ? 'SES call' : 'SMS call';
  return `Plan: ${n(recipients)} ${channel} recipients at ${n(rate)}/s (${call} ${n(sesLatencyMs)} ms, profile ${n(profileItemKb, Number.isInteger(profileItemKb) ? 0 : 1)} KB, ${offer ? 'an offer code each' : 'no offer'})`;
};

const limitNote = (plan: CampaignPlan): string =>
  plan.limitedBy === 'none'
    ? 'the target'
    : plan.limitedBy === 'sender-concurrency'
      ? `LIMITED by SENDER_MAX_CONCURRENCY (target ${n(plan.input.rate)}/s)`
      : `LIMITED by the run function's selection (target ${n(plan.input.rate)}/s)`;

const pipeline = (plan: CampaignPlan): string[] => {
  const a = plan.assumptions;
  const waves = Math.ceil(RECIPIENTS_PER_BATCH / SENDS_IN_FLIGHT_PER_SENDER);
  const q = plan.peakQueue;
  return [
    'Pipeline',
    row(
      'audience pages',
      n(plan.pages),
      `${n(RECIPIENTS_PER_PAGE)} profiles each, a checkpoint after every page`,
    ),
    row('send batches', n(plan.batches), `SQS messages of ${RECIPIENTS_PER_BATCH} recipients`),
    row(
      'run function',
      n(plan.runInvocations),
      `invocations, ~${n(a.selectionPerSecond)} recipients/s, ${a.runInvocationSeconds} s each before handing over`,
    ),
    row(
      'per-recipient latency',
      `${n(plan.recipientLatencyMs)} ms`,
      `send call ${n(plan.input.sesLatencyMs)} ms + ${a.writesPerRecipient} DynamoDB writes x ${a.writeLatencyMs} ms`,
    ),
    row(
      'sender invocation',
      `${n(plan.senderInvocationMs)} ms`,
      `${waves} waves of ${SENDS_IN_FLIGHT_PER_SENDER} sends + ${a.batchReadsMs} ms of batch reads`,
    ),
    row(
      'senders',
      n(plan.senders),
      `of ${SENDER_MAX_CONCURRENCY} (SENDER_MAX_CONCURRENCY), which sustain ${n(plan.maxRateAtCap)}/s${plan.sendersNeeded > plan.senders ? `; the target needs ${plan.sendersNeeded}` : ''}`,
    ),
    row('send rate', `${n(plan.sendRate)}/s`, limitNote(plan)),
    row(
      'peak queue depth',
      n(q.messages),
      `messages (${n(q.recipients)} recipients); the last enqueued waits ${formatDuration(q.waitSeconds)}`,
    ),
    row('audience read', formatDuration(plan.selectingSeconds), 'the run function, first page to last'),
    row(
      'ramp-up',
      formatDuration(plan.rampUpSeconds),
      'cold start, first page, the event source adding senders',
    ),
    row(
      'duration',
      formatDuration(plan.durationSeconds),
      `${n(plan.input.recipients)} recipients, first to last`,
    ),
  ];
};

const costs = (plan: CampaignPlan): string[] => {
  const money = (label: string, perMillion: number, total: number, note = '') =>
    `  ${label.padEnd(24)}${usd(perMillion).padStart(12)}${usd(total).padStart(14)}   ${note}`.trimEnd();
  const messages = plan.input.channel === 'email' ? 'SES' : 'SMS (US)';
  return [
    `  ${'Cost'.padEnd(24)}${'per million'.padStart(12)}${'this send'.padStart(14)}   billed`,
    ...plan.costs.map((c) => money(c.item, c.perMillion, c.total, c.usage)),
    money('infrastructure', plan.infrastructure.perMillion, plan.infrastructure.total),
    money(plan.messages.item, plan.messages.perMillion, plan.messages.total),
    `  ${`infrastructure / ${messages}`.padEnd(24)}${`${n(plan.infrastructurePercent, 2)} %`.padStart(12)}`,
  ];
};

/** A warning as a bullet wrapped at 100 columns, so it reads in a terminal and a README alike. */
const bullet = (text: string): string[] => {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (lines[last]!.length > 0 && lines[last]!.length + word.length + 1 > 96) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines.map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`);
};

const yesNo = (ok: boolean) => (ok ? 'yes' : 'NO');

export const verdictLine = (plan: CampaignPlan): string => {
  const messages = plan.input.channel === 'email' ? 'SES' : 'SMS (US)';
  return `Verdict: ${n(plan.input.recipients)} recipients at ${n(plan.input.rate)}/s take ${formatDuration(plan.durationSeconds)} (within one hour: ${yesNo(plan.verdict.withinHour)}); infrastructure is ${n(plan.infrastructurePercent, 2)} % of ${messages} (under 5 %: ${yesNo(plan.verdict.underFivePercent)})`;
};

/** The plan as a plain-text report. */
export const formatCampaignPlan = (plan: CampaignPlan): string =>
  [
    header(plan),
    '',
    ...pipeline(plan),
    '',
    ...costs(plan),
    '',
    ...(plan.warnings.length > 0 ? ['Warnings', ...plan.warnings.flatMap(bullet), ''] : []),
    verdictLine(plan),
  ].join('\n');
