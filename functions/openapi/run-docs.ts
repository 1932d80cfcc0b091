import { z } from 'zod';
import { RUN_STATUSES } from '../runs/run';
import { listRecipientsQuerySchema, listRunsQuerySchema } from '../runs/run-requests';
import { SEND_STATUSES } from '../runs/send-record';
import type { RouteDoc } from './route-doc';

const counts = z.record(z.string(), z.number());
const runCountsSchema = z
  .object({
    audience: z.number().describe('Profiles the segment selected.'),
    control: z.number().describe('Held out by the campaign’s control group.'),
    globalControl: z.number().describe('Held out by the global control group.'),
    queued: z.number().describe('Treated recipients handed to the sender.'),
    waiting: z.number().describe('Of those, not looked at yet.'),
    sent: z.number(),
    sentByChannel: counts,
    sentByVariant: counts.describe('By variant index (0 without variants).'),
    skipped: z.number(),
    skippedByReason: counts.describe(
      'no_contact_point, no_consent, unsubscribed, suppressed, sms_opted_out, frequency_capped, expired, not_found, cancelled.',
    ),
    deferred: z
      .number()
      .describe('Waiting for quiet hours to end, local time, the daily quota or throttling.'),
    sending: z.number().describe('Claimed and being sent now.'),
    failed: z.number(),
    failedByReason: counts,
    inDoubt: z
      .number()
      .describe('Claimed by an attempt that died after SES may have taken it: never resent.'),
  })
  .meta({ id: 'CampaignRunCounts' });

export const campaignRunSchema = z
  .object({
    runId: z.string(),
    campaignId: z.string(),
    campaignName: z.string(),
    campaignVersion: z.number().describe('The campaign version this run sends.'),
    trigger: z.enum(['schedule', 'manual']),
    status: z.enum(RUN_STATUSES),
    waiting: z.enum(['paused', 'daily_quota']).optional(),
    scheduledTime: z.string(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    selectedAt: z.string().optional().describe('When the audience was read completely.'),
    finishedAt: z.string().optional(),
    plan: z.string().optional().describe('How the audience was read: scan or index:<name>.'),
    templates: z.array(
      z.object({
        variant: z.number(),
        channel: z.enum(['email', 'sms']),
        templateId: z.string(),
        version: z.number().describe('The template version this run sends.'),
      }),
    ),
    counts: runCountsSchema,
    achievedRatePerSecond: z.number(),
    estimatedSecondsLeft: z.number().optional(),
  })
  .meta({ id: 'CampaignRun' });

const recipientSchema = z
  .object({
    runId: z.string(),
    profileId: z.string(),
    status: z.enum(SEND_STATUSES),
    batch: z.string(),
    channel: z.enum(['email', 'sms']).optional(),
    variant: z.number().optional(),
    templateId: z.string().optional(),
    templateVersion: z.number().optional(),
    reason: z.string().optional(),
    cap: z.string().optional(),
    messageId: z.string().optional(),
    offerCode: z.string().optional(),
    offerExpiresAt: z.string().optional(),
    dueAt: z.string().optional(),
    deferUntil: z.string().optional(),
    claimedAt: z.string().optional(),
    wouldSendAt: z.string().optional(),
    sentAt: z.string().optional(),
    at: z.string(),
  })
  .meta({ id: 'CampaignRecipient' });

const offerCheckSchema = z
  .object({
    code: z.string(),
    valid: z.boolean(),
    reason: z.enum(['malformed', 'mistyped', 'unknown', 'expired']).optional(),
    expiresAt: z.string().optional(),
    campaignId: z.string().optional(),
    issuedAt: z.string().optional(),
  })
  .meta({ id: 'OfferCheck' });

/** The run and offer routes' documentation (functions in lib/run-functions.ts). */
export const runDocs: Record<string, RouteDoc> = {
  'create-campaign-run POST': {
    success: { status: 202, description: 'The run, queued, with its Location.', schema: campaignRunSchema },
    errors: [404, 409],
  },
  'list-campaign-runs GET': {
    query: listRunsQuerySchema,
    success: {
      status: 200,
      description: 'The campaign’s latest runs, newest first.',
      schema: z.object({ items: z.array(campaignRunSchema) }).meta({ id: 'CampaignRunList' }),
    },
    errors: [422],
  },
  'get-campaign-run GET': {
    success: { status: 200, description: 'The run with its live counts.', schema: campaignRunSchema },
    errors: [404],
  },
  'list-campaign-recipients GET': {
    query: listRecipientsQuerySchema,
    success: {
      status: 200,
      description: 'A page of the run’s send records, by profile id.',
      schema: z
        .object({ items: z.array(recipientSchema), cursor: z.string().optional() })
        .meta({ id: 'CampaignRecipientPage' }),
    },
    errors: [404, 422],
  },
  'get-offer GET': {
    success: {
      status: 200,
      description: 'Whether the code is valid now; never who holds it.',
      schema: offerCheckSchema,
    },
    errors: [],
  },
};
