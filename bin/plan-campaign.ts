/**
 * `npm run plan-campaign -- --recipients N --rate R [--channel email|sms] [--ses-latency-ms N]
 *  [--profile-kb N] [--offer]`
 *
 * Prints the plan of a campaign send: how long it takes through the send pipeline, how deep the
 * send queue gets, how many senders it needs, and what the AWS services around SES cost next to
 * SES (functions/runs/plan-campaign.ts). Offline: it reads no AWS account.
 */
import { parseArgs } from 'node:util';
import { type CampaignInput, formatCampaignPlan, planCampaign } from '../functions/runs/plan-campaign';

const USAGE =
  'Usage: npm run plan-campaign -- --recipients N --rate R [--channel email|sms] [--ses-latency-ms N] [--profile-kb N] [--offer]';

const fail = (message: string): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
};

/** A number option: absent stays absent, anything but a number is refused here (ranges: planCampaign). */
const numberOption = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value.replaceAll('_', ''));
  if (value.trim() === '' || !Number.isFinite(parsed)) fail(`--${name} must be a number, got "${value}"`);
  return parsed;
};

const readInput = (argv: string[]): CampaignInput => {
  const { values } = parseArgs({
    args: argv,
    options: {
      recipients: { type: 'string' },
      rate: { type: 'string' },
      channel: { type: 'string' },
      'ses-latency-ms': { type: 'string' },
      'profile-kb': { type: 'string' },
      offer: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const recipients = numberOption('recipients', values.recipients);
  const rate = numberOption('rate', values.rate);
  if (recipients === undefined || rate === undefined) return fail('--recipients and --rate are required');
  const channel = values.channel ?? 'email';
  if (channel !== 'email' && channel !== 'sms')
    return fail(`--channel must be email or sms, got "${channel}"`);
  const sesLatencyMs = numberOption('ses-latency-ms', values['ses-latency-ms']);
  const profileItemKb = numberOption('profile-kb', values['profile-kb']);
  return {
    recipients,
    rate,
    channel,
    offer: values.offer ?? false,
    ...(sesLatencyMs === undefined ? {} : { sesLatencyMs }),
    ...(profileItemKb === undefined ? {} : { profileItemKb }),
  };
};

let input: CampaignInput;
try {
  input = readInput(process.argv.slice(2));
} catch (error) {
  // parseArgs refuses unknown options and options without their value.
  input = fail(error instanceof Error ? error.message : String(error));
}
try {
  console.log(formatCampaignPlan(planCampaign(input)));
} catch (error) {
  if (!(error instanceof RangeError)) throw error;
  fail(error.message);
}
