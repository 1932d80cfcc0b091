import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../lib/definition';
import { createInProcessInvoker } from '../function-invoker';
import { fixtureLoader } from '../test-fixtures/fixture-loader';
import { scheduleEvent, startScheduler } from './scheduler';

describe('scheduler', () => {
  it('replaces the Scheduler context attributes in the input', () => {
    const event = scheduleEvent(
      {
        campaign: 'reactivation',
        scheduledTime: '<aws.scheduler.scheduled-time>',
        run: 'run-<aws.scheduler.execution-id>',
      },
      new Date('2026-11-25T10:00:00.000Z'),
      '6a1f8b9e-0000-4000-8000-000000000000',
    );
    expect(event).toEqual({
      campaign: 'reactivation',
      scheduledTime: '2026-11-25T10:00:00Z',
      run: 'run-6a1f8b9e-0000-4000-8000-000000000000',
    });
    expect(scheduleEvent({ id: '<aws.scheduler.execution-id>' }, new Date()).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fires a function on its schedule with the replaced input', async () => {
    const fn: FunctionSpec = { name: 'tick', description: 'tick', access: {}, triggers: [] };
    const events: Record<string, string>[] = [];
    const invoker = createInProcessInvoker({
      stage: 'test',
      region: 'us-east-1',
      accountId: '000000000000',
      loadHandler: fixtureLoader({ tick: async (event: Record<string, string>) => events.push(event) }),
    });
    // rate(1 minute) would take a minute: check the arming instead, and fire an `at` one second ahead.
    const soon = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    const at = `at(${soon.toISOString().slice(0, 19)})`;
    const scheduler = startScheduler({
      schedules: [
        {
          id: 'soon',
          expression: at,
          timezone: 'UTC',
          fn,
          input: { time: '<aws.scheduler.scheduled-time>' },
        },
        { id: 'hourly', expression: 'rate(1 hour)', timezone: 'UTC', fn, input: {} },
      ],
      invoker,
    });
    try {
      expect(scheduler.next().map((n) => n.id)).toEqual(['soon', 'hourly']);
      const deadline = Date.now() + 5000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual([{ time: `${soon.toISOString().slice(0, 19)}Z` }]);
      expect(scheduler.next().map((n) => n.id)).toEqual(['hourly']);
    } finally {
      scheduler.stop();
    }
  });
});
