import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, type Run } from './run';
import { runView } from './run-view';

const startedAt = '2026-06-10T08:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(startedAt) + seconds * 1000);
const run = (changes: Partial<Run> = {}): Run => ({
  runId: 'run_spring_20260610T080000Z',
  campaignId: 'cmp_spring',
  campaignName: 'Spring sale',
  campaignVersion: 3,
  trigger: 'schedule',
  scheduledTime: startedAt,
  status: 'sending',
  createdAt: startedAt,
  startedAt,
  selectedAt: '2026-06-10T08:00:30.000Z',
  channel: 'email',
  definition: {
    name: 'Spring sale',
    segmentId: 'seg_lapsed',
    channel: 'email',
    kind: 'marketing',
    templateId: 'spring',
    schedule: { type: 'manual' },
  },
  templates: [{ variant: 0, channel: 'email', templateId: 'spring', version: 2 }],
  selection: { ...EMPTY_SELECTION, audience: 1000, queued: 1000, batches: 2 },
  audience: [{ done: true, pages: 2 }],
  invocations: 1,
  ...changes,
});
const sent = (n: number) => ({ sent: n, 'sent:email:0': n });

describe('runView', () => {
  it('shows the run’s snapshot and live counts, without the audience read’s position', () => {
    const view = runView(
      run({ plan: 'scan' }),
      { ...sent(400), skipped: 100, 'skipped:no_consent': 100 },
      at(100),
    );
    expect(view).toMatchObject({
      runId: 'run_spring_20260610T080000Z',
      campaignId: 'cmp_spring',
      campaignName: 'Spring sale',
      campaignVersion: 3,
      trigger: 'schedule',
      status: 'sending',
      startedAt,
      selectedAt: '2026-06-10T08:00:30.000Z',
      plan: 'scan',
      templates: [{ variant: 0, channel: 'email', templateId: 'spring', version: 2 }],
      counts: { queued: 1000, waiting: 500, sent: 400, skipped: 100, sentByChannel: { email: 400 } },
    });
    expect(view).not.toHaveProperty('audience');
    expect(view).not.toHaveProperty('definition');
    expect(view).not.toHaveProperty('finishedAt');
  });

  it('shows a sending run as completed as soon as every recipient is decided', () => {
    const decided = { ...sent(900), skipped: 50, failed: 30, in_doubt: 20 };
    expect(runView(run(), decided, at(100)).status).toBe('completed');
    expect(runView(run(), { ...decided, sent: 899, deferred: 1 }, at(100)).status).toBe('sending');
    expect(runView(run(), { ...decided, sent: 899, sending: 1 }, at(100)).status).toBe('sending');
    expect(runView(run(), { ...decided, sent: 899 }, at(100)).status).toBe('sending'); // one waiting
  });

  it('keeps a run still reading its audience selecting, even when the sender has caught up', () => {
    const reading = run({ status: 'selecting', selectedAt: undefined });
    expect(runView(reading, sent(1000), at(10)).status).toBe('selecting');
    expect(runView(run({ status: 'cancelled' }), sent(10), at(10)).status).toBe('cancelled');
  });

  it('shows the rate achieved since the run started, and the time the waiting recipients need at it', () => {
    const view = runView(run(), { ...sent(300), sending: 16 }, at(120));
    expect(view.achievedRatePerSecond).toBe(2.5);
    // 1000 queued, 316 looked at: 684 waiting and 16 being sent, at 2.5 a second.
    expect(view.estimatedSecondsLeft).toBe(280);
  });

  it('rounds the rate to hundredths and the time left up to whole seconds', () => {
    const view = runView(run(), sent(100), at(30));
    expect(view.achievedRatePerSecond).toBe(3.33);
    expect(view.estimatedSecondsLeft).toBe(270); // 900 / (100 / 30)
  });

  it('measures a finished run’s rate until it finished, however long ago, and estimates nothing', () => {
    const finished = run({ status: 'completed', finishedAt: '2026-06-10T08:08:20.000Z' });
    const view = runView(finished, sent(1000), at(86_400));
    expect(view.achievedRatePerSecond).toBe(2); // 1000 in 500 s
    expect(view.finishedAt).toBe('2026-06-10T08:08:20.000Z');
    expect(view).not.toHaveProperty('estimatedSecondsLeft');
    expect(runView(run(), sent(1000), at(500))).not.toHaveProperty('estimatedSecondsLeft'); // completed by its counts
  });

  it('estimates nothing before anything is sent or before the run has started', () => {
    const nothingYet = runView(run(), {}, at(60));
    expect(nothingYet.achievedRatePerSecond).toBe(0);
    expect(nothingYet).not.toHaveProperty('estimatedSecondsLeft');
    const queued = runView(
      run({ status: 'queued', startedAt: undefined, selection: EMPTY_SELECTION }),
      {},
      at(5),
    );
    expect(queued).toMatchObject({ status: 'queued', achievedRatePerSecond: 0 });
    expect(queued).not.toHaveProperty('startedAt');
    expect(queued).not.toHaveProperty('estimatedSecondsLeft');
  });

  it('says why a run waits, when it does', () => {
    expect(runView(run({ waiting: 'paused' }), sent(10), at(10)).waiting).toBe('paused');
    expect(runView(run(), sent(10), at(10))).not.toHaveProperty('waiting');
  });
});
