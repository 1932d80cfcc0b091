import { randomUUID } from 'node:crypto';
import type { Campaign } from '../campaigns/campaign';
import { templateSlots } from '../campaigns/campaign-templates';
import { inCampaignControl, inGlobalControl } from '../campaigns/control-group';
import type { CampaignSettings } from '../campaigns/recipient-decision';
import { LeaseLostError } from '../jobs/lease-lost-error';
import { type TimeBudget, timeBudget } from '../jobs/time-budget';
import type { AudienceReader, ReadPart } from '../segments/audience-reader';
import { compileSegmentRule } from '../segments/evaluate-segment-rule';
import { attributesOf, planName, planSegmentRule } from '../segments/plan-segment-rule';
import type { Segment } from '../segments/segment';
import { rulesOf } from '../segments/segment-service';
import { EMPTY_SELECTION, type Run, type RunTemplate, runIdOf, type SelectionCounts } from './run';
import { allDecided, runCounts } from './run-counts';
import type { RunMessage, SendBatchMessage } from './run-messages';
import type { RunStore } from './run-store';
import { RECIPIENTS_PER_BATCH, RECIPIENTS_PER_PAGE } from './send-pipeline-shape';

// The run function's part of a run: read the audience once, in pages, and hand the treated
// recipients to the sender in batches while the read goes on, so the first messages go out within
// seconds of the start whatever the audience's size. Control members are recorded here (they need
// nothing looked up). Each page is checkpointed with the counts it added, and its batches are
// named by the page's place in the read, so a page read again after a crash sends the same batches
// (the sender's records keep anyone from a second message) and is counted once. Once the audience
// is read the run waits for the sender, checked every minute, and completes when every recipient
// is decided.

export interface StartRunDeps {
  readonly runs: Pick<RunStore, 'claim' | 'checkpoint' | 'release' | 'finish' | 'put' | 'countsOf'>;
  readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
  readonly segments: { list(): Promise<Segment[]> };
  /** The version a run sends of each template is the current one. */
  readonly templates: { get(templateId: string): Promise<{ readonly version: number } | undefined> };
  readonly audience: Pick<AudienceReader, 'readResumable'>;
  readonly sendBatches: (batches: readonly SendBatchMessage[]) => Promise<void>;
  readonly continueLater: (message: RunMessage, delaySeconds: number) => Promise<void>;
  readonly settings: Pick<CampaignSettings, 'globalControlShare' | 'globalControlSalt'>;
  readonly now?: () => Date;
  readonly owner?: string;
  readonly remainingMs?: () => number;
  readonly reserveMs?: number;
  readonly pageSize?: number;
  readonly batchSize?: number;
  /** Seconds between two looks at a run whose audience is read (default 60). */
  readonly checkEverySeconds?: number;
}

export type StartRunOutcome =
  | { readonly outcome: 'selected' | 'continued' | 'waiting' | 'completed' | 'cancelled'; readonly run: Run }
  | { readonly outcome: 'busy' | 'nothing-to-do'; readonly runId: string; readonly reason?: string };

/** The templates a run sends, at the versions current when it starts. */
const snapshotTemplates = async (
  campaign: Campaign,
  templates: StartRunDeps['templates'],
): Promise<RunTemplate[]> =>
  Promise.all(
    templateSlots(campaign).map(async (slot) => {
      const template = await templates.get(slot.templateId);
      if (!template) throw new Error(`template ${slot.templateId} of ${campaign.campaignId} is gone`);
      return {
        variant: slot.variant,
        channel: slot.channel,
        templateId: slot.templateId,
        version: template.version,
      };
    }),
  );

const definitionOf = (campaign: Campaign) => {
  const {
    campaignId: _i,
    status: _s,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    statusChangedAt: _t,
    ...definition
  } = campaign;
  return definition;
};

export const newRun = async (
  campaign: Campaign,
  input: { scheduledTime: string; trigger: 'schedule' | 'manual'; runId?: string; requestedBy?: string },
  templates: StartRunDeps['templates'],
  now: Date,
): Promise<Run> => ({
  runId: input.runId ?? runIdOf(campaign.campaignId, input.scheduledTime),
  campaignId: campaign.campaignId,
  campaignName: campaign.name,
  campaignVersion: campaign.version,
  trigger: input.trigger,
  scheduledTime: new Date(input.scheduledTime).toISOString(),
  status: 'queued',
  createdAt: now.toISOString(),
  channel: campaign.channel,
  definition: definitionOf(campaign),
  templates: await snapshotTemplates(campaign, templates),
  selection: EMPTY_SELECTION,
  invocations: 0,
  ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
});

export const startRun = async (deps: StartRunDeps, message: RunMessage): Promise<StartRunOutcome> => {
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? randomUUID();
  const budget = timeBudget(deps.remainingMs ?? (() => 15 * 60_000), { reserveMs: deps.reserveMs ?? 60_000 });
  const trigger = message.trigger ?? 'schedule';
  const runId = message.runId ?? runIdOf(message.campaignId, message.scheduledTime);
  const campaign = await deps.campaigns.get(message.campaignId);
  if (!campaign) return { outcome: 'nothing-to-do', runId, reason: 'campaign not found' };

  // A scheduled firing of a campaign that is not active starts nothing (Scheduler's schedule is
  // disabled on pause; a firing already in flight is dropped here). Fired runs exist already.
  let fresh: Run | undefined;
  if (!message.continuation && !message.runId) {
    if (campaign.status !== 'active')
      return { outcome: 'nothing-to-do', runId, reason: `campaign ${campaign.status}` };
    fresh = await newRun(campaign, { scheduledTime: message.scheduledTime, trigger }, deps.templates, now());
  }
  const claim = await deps.runs.claim(runId, owner, budget.leaseMs(), fresh);
  if (claim.outcome === 'busy') return { outcome: 'busy', runId };
  if (claim.outcome !== 'claimed') return { outcome: 'nothing-to-do', runId, reason: claim.outcome };
  const run = claim.job;
  try {
    return await work(deps, run, campaign, owner, budget);
  } catch (error) {
    await deps.runs.release(run.runId, owner).catch(() => undefined);
    throw error;
  }
};

const work = async (
  deps: StartRunDeps,
  claimed: Run,
  campaign: Campaign,
  owner: string,
  budget: TimeBudget,
): Promise<StartRunOutcome> => {
  const now = deps.now ?? (() => new Date());
  const later = (run: Run, delaySeconds: number) =>
    deps.continueLater(
      { campaignId: run.campaignId, scheduledTime: run.scheduledTime, runId: run.runId, continuation: true },
      delaySeconds,
    );
  const hold = async (run: Run, changes: Partial<Run>, delaySeconds: number) => {
    if (!(await deps.runs.checkpoint(run.runId, owner, changes, budget.leaseMs())))
      throw new LeaseLostError(run.runId);
    await deps.runs.release(run.runId, owner);
    await later(run, delaySeconds);
  };
  const check = deps.checkEverySeconds ?? 60;

  if (campaign.status === 'cancelled') {
    const changes = { status: 'cancelled', finishedAt: now().toISOString(), audience: undefined } as const;
    if (!(await deps.runs.finish(claimed.runId, owner, changes))) throw new LeaseLostError(claimed.runId);
    return { outcome: 'cancelled', run: { ...claimed, ...changes } };
  }
  if (campaign.status === 'paused') {
    await hold(claimed, { waiting: 'paused' }, check);
    return { outcome: 'waiting', run: { ...claimed, waiting: 'paused' } };
  }

  if (claimed.status === 'sending') {
    const counts = runCounts(claimed.selection, await deps.runs.countsOf(claimed.runId));
    if (!allDecided(counts)) {
      await hold(claimed, { waiting: undefined }, check);
      return { outcome: 'waiting', run: claimed };
    }
    const changes = { status: 'completed', finishedAt: now().toISOString(), waiting: undefined } as const;
    if (!(await deps.runs.finish(claimed.runId, owner, changes))) throw new LeaseLostError(claimed.runId);
    return { outcome: 'completed', run: { ...claimed, ...changes } };
  }

  const startedAt = claimed.startedAt ?? now().toISOString();
  const run: Run = { ...claimed, status: 'selecting', startedAt, waiting: undefined };
  const segments = rulesOf(await deps.segments.list());
  const segment = segments.get(run.definition.segmentId);
  if (!segment) throw new Error(`segment ${run.definition.segmentId} of ${run.campaignId} is gone`);
  const asOf = new Date(startedAt);
  const plan = planSegmentRule(segment, { segments });
  const attributes = attributesOf(segment, { segments, always: ['profileId'] });
  const matches = compileSegmentRule(segment, { now: asOf, segments });
  const marketing = run.definition.kind === 'marketing';
  const controlShare = run.definition.controlGroup?.share ?? 0;
  const batchSize = deps.batchSize ?? RECIPIENTS_PER_BATCH;

  let selection: SelectionCounts = run.selection;
  const parts = new Map<number, ReadPart>((run.audience ?? []).map((p, i) => [i, p]));
  let partCount = run.audience?.length ?? 0;
  let writes: Promise<void> = Promise.resolve();
  const checkpoint = (changes: Partial<Run> = {}) => {
    // One write at a time, each with the newest positions and counts together.
    writes = writes.then(async () => {
      const audience = Array.from({ length: partCount }, (_, i) => parts.get(i) ?? { done: false, pages: 0 });
      const ok = await deps.runs.checkpoint(
        run.runId,
        owner,
        {
          status: 'selecting',
          startedAt,
          plan: planName(plan),
          waiting: undefined,
          audience,
          selection,
          ...changes,
        },
        budget.leaseMs(),
      );
      if (!ok) throw new LeaseLostError(run.runId);
    });
    return writes;
  };

  // A cancel while the audience is read stops the read at its next page (looked up every 10 pages:
  // a cancelled run of millions would otherwise queue every batch only for each to be skipped).
  let pagesRead = 0;
  let cancelledNow = false;
  const stillWanted = async () => {
    if (++pagesRead % 10 !== 0) return;
    cancelledNow = (await deps.campaigns.get(run.campaignId))?.status === 'cancelled';
  };
  const stopped = await deps.audience.readResumable(
    plan,
    attributes,
    async (profiles, part, after) => {
      partCount = Math.max(partCount, part + 1);
      const treated: string[] = [];
      let control = 0;
      let globalControl = 0;
      const records: Promise<boolean>[] = [];
      for (const profile of profiles) {
        if (!matches({ profile })) continue;
        const profileId = String(profile['profileId']);
        const global =
          marketing &&
          inGlobalControl(profileId, deps.settings.globalControlShare, deps.settings.globalControlSalt);
        if (global || inCampaignControl(run.campaignId, profileId, controlShare)) {
          if (global) globalControl++;
          else control++;
          records.push(
            deps.runs.put(
              {
                runId: run.runId,
                profileId,
                status: 'control',
                batch: 'control',
                reason: global ? 'global_control' : 'control',
                wouldSendAt: startedAt,
                at: now().toISOString(),
              },
              { absent: true },
            ),
          );
        } else treated.push(profileId);
      }
      // The page's batches, named by its place in the read: the same names when it is read again.
      const batches: SendBatchMessage[] = [];
      for (let i = 0; i * batchSize < treated.length; i++)
        batches.push({
          runId: run.runId,
          campaignId: run.campaignId,
          batch: `${part}.${after.pages}.${i}`,
          profileIds: treated.slice(i * batchSize, (i + 1) * batchSize),
        });
      await Promise.all([...records, batches.length > 0 ? deps.sendBatches(batches) : Promise.resolve()]);
      parts.set(part, after);
      selection = {
        audience: selection.audience + treated.length + control + globalControl,
        control: selection.control + control,
        globalControl: selection.globalControl + globalControl,
        queued: selection.queued + treated.length,
        batches: selection.batches + batches.length,
      };
      await checkpoint();
      await stillWanted();
    },
    {
      ...(run.audience ? { from: run.audience } : {}),
      stop: () => cancelledNow || budget.nearlyOut(),
      pageSize: deps.pageSize ?? RECIPIENTS_PER_PAGE,
    },
  );
  await writes;
  partCount = stopped.length;
  for (const [i, p] of stopped.entries()) parts.set(i, p);

  if (cancelledNow) {
    const changes = {
      status: 'cancelled',
      finishedAt: now().toISOString(),
      audience: undefined,
      selection,
    } as const;
    if (!(await deps.runs.finish(run.runId, owner, changes))) throw new LeaseLostError(run.runId);
    return { outcome: 'cancelled', run: { ...run, ...changes } };
  }
  if (stopped.some((p) => !p.done)) {
    await checkpoint();
    await deps.runs.release(run.runId, owner);
    await later(run, 0);
    return { outcome: 'continued', run: { ...run, selection } };
  }
  const selected: Partial<Run> = {
    status: 'sending',
    selectedAt: now().toISOString(),
    audience: undefined,
    selection,
  };
  await checkpoint(selected);
  await deps.runs.release(run.runId, owner);
  await later(run, selection.queued === 0 ? 0 : check);
  return { outcome: 'selected', run: { ...run, ...selected } as Run };
};
