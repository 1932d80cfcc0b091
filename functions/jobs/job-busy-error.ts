/** Another invocation holds the job's lease: the message goes back to the queue and comes again. */
export class JobBusyError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} is held by another invocation`);
    this.name = 'JobBusyError';
  }
}
