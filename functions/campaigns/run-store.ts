import type { RunRecord, SendRecord } from './run-record';

export interface RunStore {
  /** Starts the run, or counts one more attempt of a run that exists (a redelivered schedule). */
  begin(run: RunRecord): Promise<RunRecord>;
  /**
   * Writes the send record if the run has none for the profile yet (or only a retryable failure).
   * False when one exists: this profile is handled, whatever this attempt thinks.
   */
  claim(record: SendRecord): Promise<boolean>;
  /** Records how a claimed send ended. */
  settle(record: SendRecord): Promise<void>;
  sends(runId: string): Promise<SendRecord[]>;
  finish(run: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
}
