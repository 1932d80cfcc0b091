/** How a long job knows when to hand over to a fresh invocation. */
export interface TimeBudget {
  /** Less than the reserve is left: checkpoint, send the continuation, stop. */
  nearlyOut(): boolean;
  /**
   * How long a lease taken or extended now must hold: the rest of this invocation plus a margin.
   * A crashed invocation's job is free again soon after its time limit, never while it could run.
   */
  leaseMs(): number;
}

export const timeBudget = (
  remainingMs: () => number,
  options: { readonly reserveMs: number; readonly marginMs?: number },
): TimeBudget => ({
  nearlyOut: () => remainingMs() < options.reserveMs,
  leaseMs: () => Math.max(0, remainingMs()) + (options.marginMs ?? 30_000),
});
