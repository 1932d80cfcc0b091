import type { Suppression, SuppressionChannel } from './suppression';

/** Addresses that are never contacted. Every lookup is by (channel, normalised address). */
export interface SuppressionStore {
  /** Adds it unless the address is suppressed already; the stored one either way. */
  add(suppression: Suppression): Promise<Suppression>;
  get(channel: SuppressionChannel, address: string): Promise<Suppression | undefined>;
  /** Which of these addresses are suppressed (one batch read per 100). */
  suppressedOf(addresses: readonly { channel: SuppressionChannel; address: string }[]): Promise<Set<string>>;
  /** false when it was not suppressed. */
  remove(channel: SuppressionChannel, address: string): Promise<boolean>;
  list(limit: number, cursor?: string): Promise<{ items: Suppression[]; cursor?: string }>;
}
