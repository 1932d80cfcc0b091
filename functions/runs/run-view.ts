import type { Run, RunStatus } from './run';
import { allDecided, type RunCounts, runCounts } from './run-counts';

/** A run as the API shows it: its snapshot and live counts, without the read's internal position. */
export interface RunView {
  readonly runId: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly campaignVersion: number;
  readonly trigger: Run['trigger'];
  readonly status: RunStatus;
  readonly waiting?: Run['waiting'];
  readonly scheduledTime: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly selectedAt?: string;
  readonly finishedAt?: string;
  readonly plan?: string;
  readonly templates: Run['templates'];
  readonly counts: RunCounts;
  /** Messages sent per second since the run started (until it finished). */
  readonly achievedRatePerSecond: number;
  /** At the achieved rate, the seconds the recipients still waiting need; absent when unknown. */
  readonly estimatedSecondsLeft?: number;
}

export const runView = (run: Run, batchCounts: Readonly<Record<string, number>>, now: Date): RunView => {
  const counts = runCounts(run.selection, batchCounts);
  // The run function marks completion at its next look; the counts may already tell.
  const status: RunStatus = run.status === 'sending' && allDecided(counts) ? 'completed' : run.status;
  const started = run.startedAt ? new Date(run.startedAt).getTime() : undefined;
  const until = run.finishedAt ? new Date(run.finishedAt).getTime() : now.getTime();
  const seconds = started === undefined ? 0 : Math.max(0.001, (until - started) / 1000);
  const rate = started === undefined ? 0 : counts.sent / seconds;
  const left = counts.waiting + counts.sending;
  return {
    runId: run.runId,
    campaignId: run.campaignId,
    campaignName: run.campaignName,
    campaignVersion: run.campaignVersion,
    trigger: run.trigger,
    status,
    ...(run.waiting ? { waiting: run.waiting } : {}),
    scheduledTime: run.scheduledTime,
    createdAt: run.createdAt,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.selectedAt ? { selectedAt: run.selectedAt } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.plan ? { plan: run.plan } : {}),
    templates: run.templates,
    counts,
    achievedRatePerSecond: Math.round(rate * 100) / 100,
    ...(status === 'completed' || status === 'cancelled'
      ? {}
      : rate > 0
        ? { estimatedSecondsLeft: Math.ceil(left / rate) }
        : {}),
  };
};
