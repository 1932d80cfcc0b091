import { schedulerTime } from '../../functions/campaigns/schedule-expression';

/** Scheduler's context attributes in a target's input, replaced with one firing's values. */
export const withContextAttributes = (text: string, scheduledTime: Date, executionId: string): string =>
  text
    .replaceAll('<aws.scheduler.scheduled-time>', schedulerTime(scheduledTime))
    .replaceAll('<aws.scheduler.execution-id>', executionId);

/** Node's timers hold at most 2^31-1 ms (24.8 days); a weekly or yearly firing waits in steps. */
const maxTimeout = 2 ** 31 - 1;

/**
 * Calls `fire` at `at` (unref'd, so a waiting schedule keeps no process alive), handing each timer
 * to `track` so its owner can clear the latest one.
 */
export const armAt = (at: Date, fire: () => void, track: (timer: NodeJS.Timeout) => void): void => {
  const wait = (): void => {
    const delay = at.getTime() - Date.now();
    if (delay > maxTimeout) track(setTimeout(wait, maxTimeout).unref());
    else track(setTimeout(fire, Math.max(0, delay)).unref());
  };
  wait();
};
