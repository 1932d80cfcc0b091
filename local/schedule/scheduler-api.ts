import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  nextFireTime,
  parseScheduleExpression,
  type ScheduleExpression,
} from '../../functions/campaigns/schedule-expression';
import { assertTimeZone } from '../../functions/shared/zoned-time';
import { armAt, withContextAttributes } from './firing-timer';

// EventBridge Scheduler's schedule API (the REST-JSON operations @aws-sdk/client-scheduler calls:
// CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule, ListSchedules), served in its real
// wire format so the production adapter is the code that runs locally, and the schedules fired as
// Scheduler fires them: in their time zone, with `<aws.scheduler.scheduled-time>` and
// `<aws.scheduler.execution-id>` replaced in the target's input, retried per the target's retry
// policy, handed to the dead-letter callback after the last attempt, and `at()` schedules with
// `ActionAfterCompletion: DELETE` removed after firing. No emulator the project uses has this.

/** A schedule as Scheduler keeps it (the fields the API takes and returns). */
export interface StoredSchedule {
  readonly Name: string;
  readonly GroupName: string;
  readonly Arn: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone?: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
  readonly StartDate?: number;
  readonly EndDate?: number;
  readonly FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  readonly Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  readonly ActionAfterCompletion?: 'NONE' | 'DELETE';
  readonly CreationDate: number;
  readonly LastModificationDate: number;
}

/** One firing handed to the target. */
export interface SchedulerFiring {
  readonly schedule: StoredSchedule;
  readonly scheduledTime: Date;
  /** The target's input with Scheduler's context attributes replaced. */
  readonly input: string;
  readonly attempt: number;
}

export interface SchedulerApiOptions {
  readonly region: string;
  readonly accountId: string;
  /** Delivers a firing to its target; a rejection is a failed attempt. */
  readonly deliver: (firing: SchedulerFiring) => Promise<void>;
  /** A firing whose every attempt failed, as Scheduler sends it to the target's DLQ. */
  readonly deadLetter?: (firing: SchedulerFiring, error: unknown) => void;
  /** Milliseconds between attempts (Scheduler backs off for minutes; locally seconds are enough). */
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
}

export interface RunningSchedulerApi {
  readonly url: string;
  schedules(): StoredSchedule[];
  /** The next firing of each enabled schedule. */
  next(): { name: string; group: string; at: Date }[];
  stop(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'ValidationException', 'The request body is not JSON.');
  }
};

const send = (res: ServerResponse, status: number, body: unknown, type?: string) => {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(type ? { 'x-amzn-errortype': type } : {}),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify(body));
};

/** The Scheduler API on a local port, firing what it holds. */
export const startSchedulerApi = async (options: SchedulerApiOptions): Promise<RunningSchedulerApi> => {
  const now = options.now ?? (() => new Date());
  const store = new Map<string, StoredSchedule>();
  const timers = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, Date>();
  const keyOf = (group: string, name: string) => `${group}/${name}`;
  let stopped = false;

  const disarm = (key: string) => {
    clearTimeout(timers.get(key));
    timers.delete(key);
    upcoming.delete(key);
  };

  const arm = (key: string, after: Date) => {
    disarm(key);
    const schedule = store.get(key);
    if (stopped || !schedule || schedule.State !== 'ENABLED') return;
    const expression = parseScheduleExpression(schedule.ScheduleExpression);
    const startedAt = schedule.StartDate
      ? new Date(schedule.StartDate * 1000)
      : new Date(schedule.CreationDate * 1000);
    const from =
      schedule.StartDate && schedule.StartDate * 1000 > after.getTime()
        ? new Date(schedule.StartDate * 1000 - 1)
        : after;
    const at = nextFireTime(expression, schedule.ScheduleExpressionTimezone ?? 'UTC', from, { startedAt });
    if (!at || (schedule.EndDate && at.getTime() > schedule.EndDate * 1000)) return;
    upcoming.set(key, at);
    armAt(
      at,
      () => void fire(key, schedule, expression, at),
      (timer) => timers.set(key, timer),
    );
  };

  const fire = async (key: string, schedule: StoredSchedule, expression: ScheduleExpression, at: Date) => {
    // The schedule may have been updated or deleted since this timer was set.
    if (store.get(key) !== schedule) return;
    const completes = expression.kind === 'at';
    if (completes && schedule.ActionAfterCompletion === 'DELETE') store.delete(key);
    upcoming.delete(key);
    if (!completes) arm(key, at);
    const executionId = randomUUID();
    const input = withContextAttributes(schedule.Target.Input ?? '{}', at, executionId);
    const attempts = 1 + (schedule.Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const bounded = Math.min(attempts, 5);
    for (let attempt = 1; attempt <= bounded && !stopped; attempt++) {
      const firing: SchedulerFiring = { schedule, scheduledTime: at, input, attempt };
      try {
        await options.deliver(firing);
        return;
      } catch (error) {
        if (attempt === bounded) {
          options.deadLetter?.(firing, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 1000).unref());
      }
    }
  };

  const validate = (name: string, body: Record<string, unknown>) => {
    if (!NAME.test(name)) throw new ApiError(400, 'ValidationException', `Invalid schedule name ${name}.`);
    const expression = body.ScheduleExpression;
    if (typeof expression !== 'string')
      throw new ApiError(400, 'ValidationException', 'ScheduleExpression is required.');
    try {
      parseScheduleExpression(expression);
    } catch (error) {
      throw new ApiError(
        400,
        'ValidationException',
        `Invalid Schedule Expression ${expression}: ${(error as Error).message}`,
      );
    }
    const zone = body.ScheduleExpressionTimezone;
    if (zone !== undefined) {
      try {
        assertTimeZone(String(zone));
      } catch {
        throw new ApiError(400, 'ValidationException', `Invalid ScheduleExpressionTimezone ${String(zone)}.`);
      }
    }
    const target = body.Target as StoredSchedule['Target'] | undefined;
    if (!target?.Arn || !target.RoleArn)
      throw new ApiError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required.');
    const window = body.FlexibleTimeWindow as StoredSchedule['FlexibleTimeWindow'] | undefined;
    if (!window?.Mode) throw new ApiError(400, 'ValidationException', 'FlexibleTimeWindow is required.');
  };

  const put = (name: string, body: Record<string, unknown>, created?: StoredSchedule): StoredSchedule => {
    const group = String(body.GroupName ?? 'default');
    const at = Math.floor(now().getTime() / 1000);
    const schedule: StoredSchedule = {
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:${options.region}:${options.accountId}:schedule/${group}/${name}`,
      ScheduleExpression: String(body.ScheduleExpression),
      ...(body.ScheduleExpressionTimezone !== undefined
        ? { ScheduleExpressionTimezone: String(body.ScheduleExpressionTimezone) }
        : {}),
      State: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ...(typeof body.Description === 'string' ? { Description: body.Description } : {}),
      ...(typeof body.StartDate === 'number' ? { StartDate: body.StartDate } : {}),
      ...(typeof body.EndDate === 'number' ? { EndDate: body.EndDate } : {}),
      FlexibleTimeWindow: body.FlexibleTimeWindow as StoredSchedule['FlexibleTimeWindow'],
      Target: body.Target as StoredSchedule['Target'],
      ...(body.ActionAfterCompletion === 'DELETE' || body.ActionAfterCompletion === 'NONE'
        ? { ActionAfterCompletion: body.ActionAfterCompletion }
        : {}),
      CreationDate: created?.CreationDate ?? at,
      LastModificationDate: at,
    };
    const key = keyOf(group, name);
    store.set(key, schedule);
    arm(key, now());
    return schedule;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match)
      throw new ApiError(404, 'ResourceNotFoundException', `No route ${req.method} ${url.pathname}.`);
    const name = match[1] ? decodeURIComponent(match[1]) : undefined;
    if (!name) {
      if (req.method !== 'GET') throw new ApiError(404, 'ResourceNotFoundException', 'No such operation.');
      const group = url.searchParams.get('ScheduleGroup');
      const prefix = url.searchParams.get('NamePrefix') ?? '';
      const schedules = [...store.values()]
        .filter((s) => (!group || s.GroupName === group) && s.Name.startsWith(prefix))
        .map(({ Arn, GroupName, Name, State, CreationDate, LastModificationDate, Target }) => ({
          Arn,
          GroupName,
          Name,
          State,
          CreationDate,
          LastModificationDate,
          Target: { Arn: Target.Arn },
        }));
      send(res, 200, { Schedules: schedules });
      return;
    }
    const group = url.searchParams.get('groupName') ?? 'default';
    const key = keyOf(group, name);
    switch (req.method) {
      case 'POST': {
        const body = await readBody(req);
        validate(name, body);
        if (store.has(keyOf(String(body.GroupName ?? 'default'), name)))
          throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
        send(res, 200, { ScheduleArn: put(name, body).Arn });
        return;
      }
      case 'PUT': {
        const body = await readBody(req);
        validate(name, body);
        const existing = store.get(keyOf(String(body.GroupName ?? 'default'), name));
        if (!existing)
          throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        send(res, 200, { ScheduleArn: put(name, body, existing).Arn });
        return;
      }
      case 'GET': {
        const schedule = store.get(key);
        if (!schedule)
          throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        send(res, 200, schedule);
        return;
      }
      case 'DELETE': {
        if (!store.has(key))
          throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        store.delete(key);
        disarm(key);
        send(res, 200, {});
        return;
      }
      default:
        throw new ApiError(404, 'ResourceNotFoundException', 'No such operation.');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ApiError) send(res, error.status, { Message: error.message }, error.type);
      else send(res, 500, { Message: String(error) }, 'InternalServerException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    schedules: () => [...store.values()],
    next: () =>
      [...upcoming].map(([key, at]) => {
        const [group, name] = key.split('/') as [string, string];
        return { name, group, at };
      }),
    stop: async () => {
      stopped = true;
      for (const key of [...timers.keys()]) disarm(key);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
