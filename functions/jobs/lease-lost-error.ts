/**
 * The job's lease went to another invocation (this one ran past it): stop without writing
 * anything more, the new holder carries on from the last checkpoint.
 */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId}: the lease was lost to another invocation`);
    this.name = 'LeaseLostError';
  }
}
