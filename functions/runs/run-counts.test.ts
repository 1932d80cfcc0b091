import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, type SelectionCounts } from './run';
import { allDecided, countBatch, runCounts, sumCounts } from './run-counts';
import type { SendRecord, SendStatus } from './send-record';

let next = 0;
const record = (status: SendStatus, extra: Partial<SendRecord> = {}): SendRecord => ({
  runId: 'run_spring_20260610T080000Z',
  profileId: `p${next++}`,
  batch: 'b0',
  status,
  at: '2026-06-10T08:00:00.000Z',
  ...extra,
});
const selection = (queued: number, extra: Partial<SelectionCounts> = {}): SelectionCounts => ({
  ...EMPTY_SELECTION,
  audience: queued,
  queued,
  ...extra,
});

describe('countBatch', () => {
  it('counts each status, sent by channel and variant, skipped and failed by reason', () => {
    const { counts } = countBatch([
      record('sent', { channel: 'email', variant: 0 }),
      record('sent', { channel: 'email', variant: 1 }),
      record('sent', { channel: 'sms', variant: 1 }),
      record('skipped', { reason: 'no_consent' }),
      record('skipped', { reason: 'no_consent' }),
      record('skipped', { reason: 'frequency_capped', cap: 'perDay' }),
      record('failed', { reason: 'template_missing' }),
      record('deferred', { reason: 'quiet_hours' }),
      record('sending'),
      record('in_doubt'),
    ]);
    expect(counts).toEqual({
      sent: 3,
      'sent:email:0': 1,
      'sent:email:1': 1,
      'sent:sms:1': 1,
      skipped: 3,
      'skipped:no_consent': 2,
      'skipped:frequency_capped': 1,
      failed: 1,
      'failed:template_missing': 1,
      deferred: 1,
      sending: 1,
      in_doubt: 1,
    });
  });

  it('counts a sent record without channel or variant as email variant 0, a reasonless skip as unknown', () => {
    const { counts } = countBatch([record('sent'), record('skipped'), record('failed')]);
    expect(counts).toEqual({
      sent: 1,
      'sent:email:0': 1,
      skipped: 1,
      'skipped:unknown': 1,
      failed: 1,
      'failed:unknown': 1,
    });
  });

  it('sums how far along the records are: the writes of each (its step)', () => {
    expect(countBatch([]).progress).toBe(0);
    expect(countBatch([record('deferred', { step: 1 })]).progress).toBe(1);
    expect(countBatch([record('sending', { step: 2 })]).progress).toBe(2);
    expect(countBatch([record('deferred', { step: 3 })]).progress).toBe(3);
    expect(countBatch([record('sent', { step: 1 }), record('sent', { step: 4 })]).progress).toBe(5);
  });

  // The transitions of the send-record.ts header comment; (none) is a record not written yet.
  type From = SendStatus | 'none';
  const forward: Record<From, readonly SendStatus[]> = {
    none: ['control', 'skipped', 'deferred', 'sending'],
    deferred: ['sending', 'skipped'],
    sending: ['sent', 'failed', 'skipped', 'deferred', 'in_doubt'],
    control: [],
    skipped: [],
    sent: [],
    failed: [],
    in_doubt: [],
  };
  /** The records as read: each status with its step (its writes so far). */
  const progressOfView = (view: readonly { status: From; step: number }[]) =>
    countBatch(
      view
        .filter((r): r is { status: SendStatus; step: number } => r.status !== 'none')
        .map((r) => record(r.status, { step: r.step })),
    ).progress;
  /** Each record: where it starts, and the choices that move it on (as many steps as there are). */
  const histories = fc.array(
    fc.record({
      start: fc.constantFrom<From>('none', 'deferred', 'sending'),
      steps: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    { maxLength: 30 },
  );
  const written = (start: From) => ({ status: start, step: start === 'none' ? 0 : 1 });
  /** Each move is one more write of the record, as the sender's stepAfter makes it. */
  const advance = (start: From, steps: readonly number[], allowed: typeof forward) =>
    steps.reduce((r, choice) => {
      const options = allowed[r.status];
      return options.length === 0 ? r : { status: options[choice % options.length]!, step: r.step + 1 };
    }, written(start));
  const neverBehind = (allowed: typeof forward) =>
    fc.property(histories, (records) => {
      const earlier = records.map((r) => written(r.start));
      const later = records.map((r) => advance(r.start, r.steps, allowed));
      expect(progressOfView(later)).toBeGreaterThanOrEqual(progressOfView(earlier));
    });

  // `sending -> deferred` (a claim whose sends stayed throttled) once lowered progress, when it was
  // ranked by status, and putBatchCounts then refused the newer view: the example keeps it covered.
  it('never counts a view with records further along as less progress than an earlier view', () => {
    fc.assert(neverBehind(forward), {
      examples: [[[{ start: 'sending', steps: [3] }]]], // sending -> deferred
    });
  });

  it('never counts a view as less progress for every transition but sending -> deferred', () => {
    fc.assert(neverBehind({ ...forward, sending: ['sent', 'failed', 'skipped', 'in_doubt'] }));
  });
});

describe('sumCounts', () => {
  it('adds the counts of every batch, key by key', () => {
    expect(
      sumCounts([
        { sent: 2, 'sent:email:0': 2 },
        { sent: 1, 'sent:sms:0': 1, skipped: 1, 'skipped:no_consent': 1 },
        {},
      ]),
    ).toEqual({ sent: 3, 'sent:email:0': 2, 'sent:sms:0': 1, skipped: 1, 'skipped:no_consent': 1 });
    expect(sumCounts([])).toEqual({});
  });
});

describe('runCounts', () => {
  const batches = sumCounts([
    countBatch([
      record('sent', { channel: 'email', variant: 0 }),
      record('sent', { channel: 'sms', variant: 0 }),
      record('sent', { channel: 'email', variant: 1 }),
      record('skipped', { reason: 'suppressed' }),
      record('failed', { reason: 'template_missing' }),
    ]).counts,
    countBatch([record('deferred'), record('sending'), record('in_doubt'), record('control')]).counts,
  ]);

  it('shows the selection, and what the sender did by channel, variant and reason', () => {
    const counts = runCounts(selection(12, { audience: 15, control: 2, globalControl: 1 }), batches);
    expect(counts).toEqual({
      audience: 15,
      control: 2,
      globalControl: 1,
      queued: 12,
      waiting: 4, // 12 queued, 8 of them looked at (control members are not queued)
      sent: 3,
      sentByChannel: { email: 2, sms: 1 },
      sentByVariant: { '0': 2, '1': 1 },
      skipped: 1,
      skippedByReason: { suppressed: 1 },
      deferred: 1,
      sending: 1,
      failed: 1,
      failedByReason: { template_missing: 1 },
      inDoubt: 1,
    });
  });

  it('never shows a negative number waiting, even when the batches count more than the selection', () => {
    expect(runCounts(selection(3), batches).waiting).toBe(0);
    expect(runCounts(EMPTY_SELECTION, batches).waiting).toBe(0);
  });

  it('shows everyone queued as waiting before the sender has looked at anyone, with empty maps', () => {
    expect(runCounts(selection(500), {})).toMatchObject({
      queued: 500,
      waiting: 500,
      sent: 0,
      sentByChannel: {},
      sentByVariant: {},
      skippedByReason: {},
      failedByReason: {},
    });
  });
});

describe('allDecided', () => {
  it('is true once nobody is waiting, deferred or being sent (in doubt counts as decided)', () => {
    const counts = (batch: readonly SendRecord[], queued = batch.length) =>
      runCounts(selection(queued), countBatch(batch).counts);
    expect(
      allDecided(counts([record('sent'), record('skipped'), record('failed'), record('in_doubt')])),
    ).toBe(true);
    expect(allDecided(counts([]))).toBe(true);
    expect(allDecided(counts([record('sent')], 2))).toBe(false); // one still waiting
    expect(allDecided(counts([record('sent'), record('deferred')]))).toBe(false);
    expect(allDecided(counts([record('sent'), record('sending')]))).toBe(false);
  });
});
