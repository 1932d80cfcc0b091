import type { JobLeases } from '../jobs/job-leases';
import type { Run } from './run';
import type { BatchCounts } from './run-counts';
import type { SendRecord, SendStatus } from './send-record';

/**
 * What a send record's write requires of the record there now: absent, in one of `statuses`,
 * claimed by `claimId`, or deferred until no later than `dueBy`. Any one satisfied is enough.
 */
export interface RecordExpectation {
  readonly absent?: boolean;
  readonly statuses?: readonly SendStatus[];
  readonly claimId?: string;
  /** A deferred record whose deferUntil is at or before this ISO time. */
  readonly deferredDueBy?: string;
  /** A `sending` record claimed at or before this ISO time (its holder is gone). */
  readonly claimedBefore?: string;
}

export interface RecipientPage {
  readonly items: readonly SendRecord[];
  readonly cursor?: string;
}

/** Runs, their send records and their per-batch counts (the jobs table, see lib/definition.ts). */
export interface RunStore
  extends Pick<JobLeases<Run>, 'create' | 'claim' | 'checkpoint' | 'release' | 'finish'> {
  get(runId: string): Promise<Run | undefined>;
  /** The campaign's runs, newest first. */
  listForCampaign(campaignId: string, limit: number): Promise<Run[]>;
  /** The records there are for these profiles (consistent reads). */
  records(runId: string, profileIds: readonly string[]): Promise<Map<string, SendRecord>>;
  /** Writes the record if the one there meets `expect`; false when it does not. */
  put(record: SendRecord, expect: RecordExpectation): Promise<boolean>;
  /** Replaces a batch's counts unless the stored ones are further along. */
  putBatchCounts(runId: string, batch: string, counts: BatchCounts, progress: number): Promise<void>;
  /** The sum of every batch's counts. */
  countsOf(runId: string): Promise<Record<string, number>>;
  /** Send records in profile id order, optionally of one status, `limit` at most per page. */
  recipients(
    runId: string,
    options: { readonly status?: SendStatus; readonly limit: number; readonly cursor?: string },
  ): Promise<RecipientPage>;
}
