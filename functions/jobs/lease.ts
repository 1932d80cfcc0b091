/** Who works on a job right now, and until when (epoch milliseconds). */
export interface Lease {
  readonly owner: string;
  readonly until: number;
}

/** What every long job (an import, a scoring run, a campaign run) has: a status, some of them final. */
export interface JobState {
  readonly status: string;
}

export type Claim<J> =
  /** This invocation holds the job now: new (`created`), resumed after a crash, or a continuation. */
  | { readonly outcome: 'claimed'; readonly job: J; readonly created: boolean }
  /** Another invocation's lease holds: try again later (the message is redelivered). */
  | { readonly outcome: 'busy'; readonly job: J }
  /** The job is over (a redelivered message or a late continuation): nothing to do. */
  | { readonly outcome: 'over'; readonly job: J }
  | { readonly outcome: 'missing' };

/**
 * The claim rule, in one place: a job that exists and is not over may be claimed unless another
 * owner's lease still holds. An owner may claim again what it holds (a retried step of the same
 * invocation). Expired leases are how a crashed invocation's job becomes free again.
 */
export const claimDecision = (
  job: JobState,
  lease: Lease | undefined,
  owner: string,
  now: number,
  over: readonly string[],
): 'claim' | 'busy' | 'over' => {
  if (over.includes(job.status)) return 'over';
  if (lease && lease.owner !== owner && lease.until >= now) return 'busy';
  return 'claim';
};
