import { randomUUID } from 'node:crypto';
import {
  nextFireTime,
  parseScheduleExpression,
  type ScheduleExpression,
  schedulerTime,
} from '../../functions/campaigns/schedule-expression';
import type { FunctionSpec } from '../../lib/definition';
import type { FunctionInvoker } from '../function-invoker';
import { armAt, withContextAttributes } from './firing-timer';

export interface ScheduleBinding {
  readonly id: string;
  /** The resolved expression (the setting's value), e.g. `cron(0 10 ? * WED *)`. */
  readonly expression: string;
  readonly timezone: string;
  readonly fn: FunctionSpec;
  readonly input: Readonly<Record<string, string>>;
}

/** The event Scheduler delivers: the input with its context attributes replaced. */
export const scheduleEvent = (
  input: Readonly<Record<string, string>>,
  scheduledTime: Date,
  executionId: string = randomUUID(),
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(input).map(([name, value]) => [
      name,
      withContextAttributes(value, scheduledTime, executionId),
    ]),
  );

export interface SchedulerOptions {
  readonly schedules: readonly ScheduleBinding[];
  readonly invoker: FunctionInvoker;
  readonly log?: boolean;
}

export interface LocalScheduler {
  /** The next firing of every schedule that still has one. */
  next(): { id: string; at: Date }[];
  stop(): void;
}

/** Fires each schedule on its expression, in its time zone, while the runner runs. */
export const startScheduler = (options: SchedulerOptions): LocalScheduler => {
  const startedAt = new Date();
  const timers = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, Date>();
  let stopped = false;

  const arm = (schedule: ScheduleBinding, expression: ScheduleExpression, after: Date): void => {
    if (stopped) return;
    const at = nextFireTime(expression, schedule.timezone, after, { startedAt });
    if (!at) {
      upcoming.delete(schedule.id);
      return;
    }
    upcoming.set(schedule.id, at);
    armAt(
      at,
      () => fire(schedule, expression, at),
      (timer) => timers.set(schedule.id, timer),
    );
  };

  const fire = (schedule: ScheduleBinding, expression: ScheduleExpression, at: Date): void => {
    arm(schedule, expression, at);
    const event = scheduleEvent(schedule.input, at);
    if (options.log) console.log(`[scheduler] ${schedule.id} -> ${schedule.fn.name} (${schedulerTime(at)})`);
    options.invoker.invoke(schedule.fn, event).catch((error: unknown) => {
      console.error(`[scheduler] ${schedule.id}: ${schedule.fn.name} failed:`, error);
    });
  };

  for (const schedule of options.schedules)
    arm(schedule, parseScheduleExpression(schedule.expression), startedAt);

  return {
    next: () => [...upcoming].map(([id, at]) => ({ id, at })),
    stop: () => {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
};
