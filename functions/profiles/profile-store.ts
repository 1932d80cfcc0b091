import type { PagePosition, ScanOptions, SegmentPosition } from '../jobs/scan-position';
import type { IdentifierKind, Profile } from './profile';

/** A write would give a profile an email, phone or external id that another profile owns. */
export class IdentifierTakenError extends Error {
  constructor(
    readonly kind: IdentifierKind,
    readonly ownerProfileId: string,
  ) {
    super(`${kind} is already used by profile ${ownerProfileId}`);
    this.name = 'IdentifierTakenError';
  }
}

/** The stored version is not the one the write was based on. */
export class VersionMismatchError extends Error {
  constructor(readonly profileId: string) {
    super(`profile ${profileId} changed since it was read`);
    this.name = 'VersionMismatchError';
  }
}

/**
 * Creating new profiles markers first, for a writer that alone creates the ids it creates: ids
 * derived from its own work (an import's id and a row), worked on by one invocation at a time (the
 * import's lease). Each new profile's identifiers are claimed with conditional puts (absent, or
 * already this profile's), several per transaction, and the profile item is written once all its
 * markers point at it, with a plain batch put. A crash in between leaves markers pointing at a
 * profile that does not exist yet: the writer's next attempt claims them again (same ids) or, if its
 * plan changed, names them in `leftovers` to be released.
 */
export interface ClaimFirst {
  /** Markers (key -> profile id) an earlier attempt claimed for ids of this writer it never wrote. */
  readonly leftovers: ReadonlyMap<string, string>;
}

export interface ProfilePage {
  readonly items: Profile[];
  readonly cursor?: string;
}

/** What reads and updates the profiles table alone, without the identifier markers. */
export interface ProfileTable {
  get(profileId: string): Promise<Profile | undefined>;
  /**
   * Every profile with only the named attributes, read in parallel segments: pages reach `onPage`
   * as they arrive, in no particular order, each with its segment's position after it; a segment
   * reads on once its `onPage` has settled. Resumable: returns where each segment stands (all done,
   * or where `options.stop` stopped them), which `options.from` takes back.
   */
  scanAttributes<K extends keyof Profile>(
    attributes: readonly K[],
    onPage: (profiles: Pick<Profile, K>[], after: PagePosition) => void | Promise<void>,
    options?: ScanOptions,
  ): Promise<SegmentPosition[]>;
  /** Records when a reactivation run contacted the profile, without touching its version. */
  markReactivated(profileId: string, at: string): Promise<void>;
  /** Applies a consent change (unsubscribe) alone; bumps the version. False if absent or already so. */
  setConsent(
    profileId: string,
    channel: 'email' | 'sms',
    consent: NonNullable<Profile['consent']>['email'],
  ): Promise<boolean>;
}

export interface ProfileStore extends ProfileTable {
  /** Many profiles at once (consistent reads); absent ids are missing from the map. */
  getMany(profileIds: readonly string[]): Promise<Map<string, Profile>>;
  /** The owners of identifier markers (`email#…`, `phone#…`, `externalId#…`); unowned keys are missing. */
  ownersOf(identifierKeys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Saves many profiles, several per transaction, each conditional as in `save`. If any condition
   * fails nothing of that transaction is written and the error of the first failing profile is thrown.
   * With `claimFirst`, profiles that do not exist yet are created markers first (see ClaimFirst).
   */
  saveMany(
    changes: readonly { next: Profile; previous: Profile | undefined }[],
    options?: { readonly claimFirst?: ClaimFirst },
  ): Promise<void>;
  findBy(kind: IdentifierKind, value: string): Promise<Profile | undefined>;
  /**
   * Writes `next` if the stored profile is still `previous` (none, for a create), moving the
   * uniqueness markers of its identifiers in the same transaction.
   * @throws IdentifierTakenError, VersionMismatchError
   */
  save(next: Profile, previous: Profile | undefined): Promise<void>;
  /** Erases the profile and its identifier markers if it is still at `version`. @throws VersionMismatchError */
  delete(profile: Profile): Promise<void>;
  list(limit: number, cursor?: string): Promise<ProfilePage>;
}

/** The cursor could not be read. */
export class InvalidCursorError extends Error {}
