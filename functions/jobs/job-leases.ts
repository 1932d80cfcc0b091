import type { Claim, JobState, Lease } from './lease';

/**
 * Claims, leases and checkpoints of one kind of long job, kept on the job's own record. Every
 * write after the claim is conditional on still holding the lease, so an invocation that lost its
 * job (it ran past its lease, and another took over) can never overwrite the newer state.
 */
export interface JobLeases<J extends JobState> {
  /** Stores a job without claiming it (a queued request); false when it exists already. */
  create(id: string, job: J): Promise<boolean>;
  /**
   * Claims the job for `owner` for `leaseMs`, counting one more attempt; with `fresh`, creates it
   * first when it does not exist (the at-least-once trigger becomes exactly one job).
   */
  claim(id: string, owner: string, leaseMs: number, fresh?: J): Promise<Claim<J>>;
  /** Records progress (the given top-level fields) and extends the lease; false: the lease was lost. */
  checkpoint(id: string, owner: string, changes: Partial<J>, leaseMs: number): Promise<boolean>;
  /** Gives the lease up at once, so a continuation or redelivery can claim without waiting. */
  release(id: string, owner: string): Promise<void>;
  /** Records the final state and gives the lease up; false: the lease was lost. */
  finish(id: string, owner: string, changes: Partial<J>): Promise<boolean>;
  read(id: string): Promise<{ readonly job: J; readonly lease?: Lease } | undefined>;
}
