import {
  RUN_FUNCTION_MEMORY_MB,
  SENDER_BATCH_SIZE,
  SENDER_MAX_CONCURRENCY,
  SENDER_MEMORY_MB,
} from '../functions/runs/send-pipeline-shape';
import type { FunctionSpec } from './definition';

// The send pipeline of lib/definition.ts: a run function reads a run's audience and queues its
// recipients in batches; a sender decides and sends each batch; the API fires runs and reads them.

const readRuns = { tables: { jobs: 'read' } } as const;

export const runFunctions: readonly FunctionSpec[] = [
  {
    name: 'run-campaign',
    description:
      'Starts, continues and completes campaign runs: reads the audience once, in checkpointed pages, records the control group and queues the rest for the sender.',
    triggers: [{ kind: 'queue', queue: 'campaignStarts', batchSize: 1, maxConcurrency: 5 }],
    access: {
      tables: { profiles: 'read', campaigns: 'read', jobs: 'write' },
      sendToQueues: ['campaignStarts', 'campaignSends'],
    },
    timeoutSeconds: 900,
    memoryMb: RUN_FUNCTION_MEMORY_MB,
  },
  {
    name: 'send-campaign-messages',
    description:
      'Sends batches of a run: decides each recipient now (consent, suppression, caps, quiet hours), claims, sends through SES or SNS at the account-wide rate, settles.',
    triggers: [
      {
        kind: 'queue',
        queue: 'campaignSends',
        batchSize: SENDER_BATCH_SIZE,
        maxConcurrency: SENDER_MAX_CONCURRENCY,
      },
    ],
    access: {
      tables: { profiles: 'write', campaigns: 'read', jobs: 'write', suppressions: 'read' },
      sendEmail: true,
      sendSms: true,
      readSendQuota: true,
      unsubscribeSecret: true,
      sendToQueues: ['campaignSends'],
    },
    timeoutSeconds: 120,
    memoryMb: SENDER_MEMORY_MB,
  },
  {
    name: 'create-campaign-run',
    description: 'Fires a run of a campaign now (202 with the run).',
    triggers: [
      {
        kind: 'http',
        method: 'POST',
        path: '/campaigns/{campaignId}/runs',
        auth: 'apiKey',
        scope: 'admin',
      },
    ],
    access: { tables: { campaigns: 'read', jobs: 'write' }, sendToQueues: ['campaignStarts'] },
  },
  {
    name: 'list-campaign-runs',
    description: 'A campaign’s runs, newest first, with their counts.',
    triggers: [
      { kind: 'http', method: 'GET', path: '/campaigns/{campaignId}/runs', auth: 'apiKey', scope: 'read' },
    ],
    access: readRuns,
  },
  {
    name: 'get-campaign-run',
    description:
      'One run, live: audience, control, sent per channel and variant, skipped per reason, deferred, failed, in doubt, rate, time left.',
    triggers: [
      {
        kind: 'http',
        method: 'GET',
        path: '/campaigns/{campaignId}/runs/{runId}',
        auth: 'apiKey',
        scope: 'read',
      },
    ],
    access: readRuns,
  },
  {
    name: 'list-campaign-recipients',
    description: 'A run’s send records, optionally of one status, paged.',
    triggers: [
      {
        kind: 'http',
        method: 'GET',
        path: '/campaigns/{campaignId}/runs/{runId}/recipients',
        auth: 'apiKey',
        scope: 'read',
      },
    ],
    access: readRuns,
  },
  {
    name: 'get-offer',
    description: 'Whether an offer code is valid (for a checkout): known, not expired.',
    triggers: [{ kind: 'http', method: 'GET', path: '/offers/{code}', auth: 'apiKey', scope: 'read' }],
    access: readRuns,
  },
];
