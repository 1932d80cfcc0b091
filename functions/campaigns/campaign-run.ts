import type { SegmentPosition } from '../jobs/scan-position';
import type { SkipReason } from './reactivation-policy';

export type SendStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** One per run and profile, written before any send: the guarantee of at most one message. */
export interface SendRecord {
  readonly runId: string;
  readonly profileId: string;
  readonly status: SendStatus;
  readonly channel?: 'email' | 'sms';
  readonly reason?: SkipReason | string;
  readonly messageId?: string;
  /** A failure the next attempt of the same run may retry (throttling). */
  readonly retryable?: boolean;
  readonly at: string;
}

export interface RunCounts {
  selected: number;
  sent: number;
  failed: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  sentByChannel: Record<string, number>;
  /** Messages whose outcome is unknown: a previous attempt died between claiming and sending. */
  inDoubt: number;
}

/** Where a run's scan stands: each segment's position and what it counted without a record. */
export interface RunCheckpoint {
  readonly segments: readonly (SegmentPosition & { readonly noContactPoint: number })[];
}

export interface CampaignRun {
  readonly runId: string;
  readonly campaign: 'reactivation';
  readonly status: 'running' | 'completed';
  readonly scheduledTime: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Passes over the audience: 1, and one more for each redelivered firing of the same run. */
  readonly attempts: number;
  /** Invocations that worked on the run (continuations and retries included). */
  readonly invocations?: number;
  /** The scan's position at the last page handled; a continuation reads on from here. */
  readonly checkpoint?: RunCheckpoint;
  readonly rules: { lapsedDays: number; cooldownDays: number };
  readonly counts?: RunCounts;
}

export const countSends = (records: readonly SendRecord[]): RunCounts => {
  const counts: RunCounts = {
    selected: records.length,
    sent: 0,
    failed: 0,
    skipped: 0,
    skippedByReason: {},
    sentByChannel: {},
    inDoubt: 0,
  };
  for (const r of records) {
    if (r.status === 'sent') {
      counts.sent++;
      counts.sentByChannel[r.channel ?? 'unknown'] = (counts.sentByChannel[r.channel ?? 'unknown'] ?? 0) + 1;
    } else if (r.status === 'failed') counts.failed++;
    else if (r.status === 'pending') counts.inDoubt++;
    else {
      counts.skipped++;
      const reason = r.reason ?? 'unknown';
      counts.skippedByReason[reason] = (counts.skippedByReason[reason] ?? 0) + 1;
    }
  }
  return counts;
};
