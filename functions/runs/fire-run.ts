import { CAMPAIGN_ID_PATTERN, type Campaign } from '../campaigns/campaign';
import { ConflictError, NotFoundError } from '../shared/domain-errors';
import type { Run } from './run';
import type { RunMessage } from './run-messages';
import type { RunStore } from './run-store';
import { newRun } from './start-run';

/**
 * `POST /campaigns/{campaignId}/runs`: a run now, outside the schedule. The run is stored
 * (queued) before its start goes on the queue, so the answer can name it and a client can follow
 * it at once; its id carries the fire's millisecond, so two fires are two runs.
 */
export const fireRun = async (
  deps: {
    readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
    readonly templates: { get(templateId: string): Promise<{ readonly version: number } | undefined> };
    readonly runs: Pick<RunStore, 'create'>;
    readonly start: (message: RunMessage) => Promise<void>;
    readonly now?: () => Date;
  },
  campaignId: string,
  requestedBy?: string,
): Promise<Run> => {
  const now = (deps.now ?? (() => new Date()))();
  const campaign = CAMPAIGN_ID_PATTERN.test(campaignId) ? await deps.campaigns.get(campaignId) : undefined;
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}.`);
  if (campaign.status !== 'active')
    throw new ConflictError(
      `Campaign ${campaignId} is ${campaign.status}: only an active campaign can be fired.`,
    );
  const run = await newRun(
    campaign,
    { scheduledTime: now.toISOString(), trigger: 'manual', ...(requestedBy ? { requestedBy } : {}) },
    deps.templates,
    now,
  );
  if (!(await deps.runs.create(run.runId, run)))
    throw new ConflictError(`Run ${run.runId} exists already; fire again.`);
  await deps.start({
    campaignId,
    scheduledTime: run.scheduledTime,
    runId: run.runId,
    trigger: 'manual',
  });
  return run;
};
