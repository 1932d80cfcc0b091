import type { JobLeases } from '../jobs/job-leases';
import type { CampaignRun, SendRecord } from './campaign-run';

/** Statuses after which a campaign run is only worked on again if a firing reopens it. */
export const FINISHED_CAMPAIGN_RUN_STATUSES: readonly CampaignRun['status'][] = ['completed'];

/**
 * Campaign runs and their send records. Working on a run goes through the job leases (claimed,
 * checkpointed, handed over, finished); each message through its send record.
 */
export interface CampaignRunStore
  extends Pick<JobLeases<CampaignRun>, 'claim' | 'checkpoint' | 'release' | 'finish'> {
  /**
   * Opens a completed run for another pass (a redelivered firing: it decides everyone again and
   * retries retryable failures; the send records keep anyone from a second message). False when
   * the run is not completed.
   */
  reopen(runId: string): Promise<boolean>;
  /**
   * Writes the send record if the run has none for the profile yet (or only a retryable failure).
   * False when one exists: this profile is handled, whatever this attempt thinks.
   */
  claimSend(record: SendRecord): Promise<boolean>;
  /** Records how a claimed send ended. */
  settleSend(record: SendRecord): Promise<void>;
  sends(runId: string): Promise<SendRecord[]>;
  get(runId: string): Promise<CampaignRun | undefined>;
}
