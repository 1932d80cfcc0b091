import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../events/event-store';
import { NotFoundError, PreconditionError, ValidationError } from '../shared/domain-errors';
import { type ConsentNotice, consentAfter, futureConsentErrors } from './consent-rule';
import { mergeProfileFields } from './merge-profile-fields';
import {
  IDENTIFIER_KINDS,
  type IdentifierKind,
  type Profile,
  type ProfileFields,
  type Provenance,
  profileFieldsSchema,
} from './profile';
import {
  mergePatch,
  normalizeContactFields,
  replaceProfile,
  sameFields,
  writableFields,
} from './profile-changes';
import {
  IdentifierTakenError,
  type ProfilePage,
  type ProfileStore,
  VersionMismatchError,
} from './profile-store';

/** A record's identifiers belong to different profiles: merging it would join two people. */
export class IdentityConflictError extends Error {
  constructor(readonly owners: Partial<Record<IdentifierKind, string>>) {
    super(
      `identifiers belong to different profiles: ${Object.entries(owners)
        .map(([kind, id]) => `${kind} -> ${id}`)
        .join(', ')}`,
    );
    this.name = 'IdentityConflictError';
  }
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface Preconditions {
  /** The version the client read (If-Match). */
  readonly ifMatch?: number;
  /** If-None-Match: * — create only. */
  readonly ifNoneMatch?: boolean;
}

const MAX_ATTEMPTS = 5;

/** What the profile use cases need of the store: one profile at a time, and the listing. */
export type ProfileServiceStore = Pick<ProfileStore, 'get' | 'save' | 'delete' | 'findBy' | 'list'>;

/** Profile use cases: the single customer view's create, replace, patch, read, erase and look-ups. */
/** A whole-profile write's consent after the consent rule, with what the rule kept. */
const withConsentRule = (
  fields: ProfileFields,
  previous: Profile | undefined,
): { fields: ProfileFields; notices: ConsentNotice[] } => {
  const { consent, notices } = consentAfter(previous?.consent, fields.consent);
  return { fields: { ...fields, consent }, notices };
};

export class ProfileService {
  constructor(
    private readonly store: ProfileServiceStore,
    private readonly events: EventStore,
    private readonly defaultCountry: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(profileId: string): Promise<Profile> {
    const profile = await this.store.get(profileId);
    if (!profile) throw new NotFoundError(`No profile ${profileId}.`);
    return profile;
  }

  /** PUT: creates or replaces the whole profile. */
  async replace(
    profileId: string,
    input: ProfileFields,
    pre: Preconditions = {},
  ): Promise<{ profile: Profile; created: boolean; notices: ConsentNotice[] }> {
    const normalized = this.normalize(input);
    return this.retrying(async () => {
      const previous = await this.store.get(profileId);
      this.check(previous, pre, profileId);
      const { fields, notices } = withConsentRule(normalized, previous);
      const next = replaceProfile(profileId, fields, previous, this.now().toISOString());
      await this.store.save(next, previous);
      return { profile: next, created: previous === undefined, notices };
    }, pre);
  }

  /** PATCH: a JSON Merge Patch over the client fields of an existing profile. */
  async patch(
    profileId: string,
    patch: Record<string, unknown>,
    pre: Preconditions = {},
  ): Promise<{ profile: Profile; notices: ConsentNotice[] }> {
    return this.retrying(async () => {
      const previous = await this.store.get(profileId);
      if (!previous) throw new NotFoundError(`No profile ${profileId}.`);
      this.check(previous, pre, profileId);
      const merged = profileFieldsSchema.safeParse(mergePatch(writableFields(previous), patch));
      if (!merged.success) {
        throw new ValidationError(
          merged.error.issues.map((i) => ({
            path: i.path.map(String).join('.') || '(body)',
            message: i.message,
          })),
        );
      }
      const { fields, notices } = withConsentRule(this.normalize(merged.data), previous);
      const next = replaceProfile(profileId, fields, previous, this.now().toISOString());
      await this.store.save(next, previous);
      return { profile: next, notices };
    }, pre);
  }

  /** Erasure: the profile, its identifier markers and its events. */
  async erase(profileId: string, pre: Preconditions = {}): Promise<{ eventsRemoved: number }> {
    await this.retrying(async () => {
      const profile = await this.store.get(profileId);
      if (!profile) throw new NotFoundError(`No profile ${profileId}.`);
      this.check(profile, pre, profileId);
      await this.store.delete(profile);
    }, pre);
    return { eventsRemoved: await this.events.deleteAllFor(profileId) };
  }

  /**
   * Matches a record to a profile by external id, email, then phone, and creates or merges it.
   * @throws ValidationError (invalid email/phone, no identifier), IdentityConflictError
   */
  async upsert(
    input: ProfileFields,
    provenance: Provenance,
  ): Promise<{ outcome: UpsertOutcome; profileId: string }> {
    const fields = this.normalize(input);
    if (!IDENTIFIER_KINDS.some((kind) => fields[kind])) {
      throw new ValidationError([
        { path: '(row)', message: 'needs at least one of email, phone or externalId' },
      ]);
    }
    return this.retrying(async () => {
      const owners: Partial<Record<IdentifierKind, string>> = {};
      let previous: Profile | undefined;
      for (const kind of IDENTIFIER_KINDS) {
        const value = fields[kind];
        if (!value) continue;
        const found = await this.store.findBy(kind, value);
        if (!found) continue;
        owners[kind] = found.profileId;
        if (previous && previous.profileId !== found.profileId) throw new IdentityConflictError(owners);
        previous ??= found;
      }
      const now = this.now().toISOString();
      if (!previous) {
        const created = replaceProfile(randomUUID(), { ...fields, provenance }, undefined, now);
        await this.save(created, undefined);
        return { outcome: 'created' as const, profileId: created.profileId };
      }
      const merged = mergeProfileFields(previous, fields, {
        source: provenance.source,
        kind: provenance.kind,
        at: now,
      });
      const next = replaceProfile(previous.profileId, merged.fields, previous, now, merged.fieldProvenance);
      if (sameFields(next, previous)) return { outcome: 'unchanged' as const, profileId: previous.profileId };
      await this.save(next, previous);
      return { outcome: 'updated' as const, profileId: previous.profileId };
    }, {});
  }

  /** A save whose identifier another record took meanwhile is retried from the look-up. */
  private async save(next: Profile, previous: Profile | undefined): Promise<void> {
    try {
      await this.store.save(next, previous);
    } catch (error) {
      if (error instanceof IdentifierTakenError) throw new VersionMismatchError(next.profileId);
      throw error;
    }
  }

  async findBy(kind: IdentifierKind, rawValue: string): Promise<Profile | undefined> {
    const { fields, errors } = normalizeContactFields({ [kind]: rawValue }, this.defaultCountry);
    if (errors.length > 0) throw new ValidationError(errors.map((e) => ({ ...e, path: `query.${e.path}` })));
    return this.store.findBy(kind, fields[kind]!);
  }

  list(limit: number, cursor?: string): Promise<ProfilePage> {
    return this.store.list(limit, cursor);
  }

  private normalize(input: ProfileFields): ProfileFields {
    const { fields, errors } = normalizeContactFields(input, this.defaultCountry);
    errors.push(...futureConsentErrors(fields.consent, this.now()));
    const future = this.now().getTime() + 24 * 3600 * 1000;
    for (const key of ['lastPurchaseAt', 'lastActivityAt'] as const) {
      const value = fields[key];
      if (value && Date.parse(value) > future)
        errors.push({ path: key, message: 'must not be in the future' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return fields;
  }

  private check(current: Profile | undefined, pre: Preconditions, profileId: string): void {
    if (pre.ifNoneMatch && current) throw new PreconditionError(`Profile ${profileId} already exists.`);
    if (pre.ifMatch !== undefined && current?.version !== pre.ifMatch) {
      throw new PreconditionError(
        current
          ? `Profile ${profileId} is at version ${current.version}, not ${pre.ifMatch}.`
          : `No profile ${profileId} to match version ${pre.ifMatch}.`,
      );
    }
  }

  /**
   * Read-modify-write with optimistic concurrency. A concurrent change is retried when the client
   * sent no precondition; with If-Match it is the client's 412.
   */
  private async retrying<T>(attempt: () => Promise<T>, pre: Preconditions): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof VersionMismatchError)) throw error;
        if (pre.ifMatch !== undefined || pre.ifNoneMatch) throw new PreconditionError(error.message);
        if (n >= MAX_ATTEMPTS) throw error;
        // Back off (12-25, 25-50, 50-100, 100-200 ms): a bulk import claims a new profile's markers a
        // moment before it writes the profile, and a retry inside that moment would fail again.
        await sleep(12.5 * 2 ** n * (0.5 + Math.random() / 2));
      }
    }
  }
}
