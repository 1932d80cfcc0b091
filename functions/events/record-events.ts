import type { z } from 'zod';
import { identifierKeysOf } from '../profiles/identifier-key';
import type { IdentifierKind, Profile, Provenance } from '../profiles/profile';
import { normalizeContactFields } from '../profiles/profile-changes';
import type { ProfileService } from '../profiles/profile-service';
import type { ProfileStore } from '../profiles/profile-store';
import { resolveIdentities } from '../profiles/resolve-identities';
import type { ActivityEvent } from '../segments/activity-summary';
import { type FieldError, ValidationError } from '../shared/domain-errors';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import type { eventResultSchema, ProfileRef } from './event-input';
import { type ActivityChange, type AggregateDeps, laterOf, refreshAggregates } from './refresh-aggregates';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

import { eventKeyOf, MONEY_TYPES, type StoredEvent, utcInstant } from './stored-event';
import { validateEvent } from './validate-event';

export type EventBatchResult = z.infer<typeof eventResultSchema>;
type ItemResult = EventBatchResult['results'][number];

export interface RecordEventsDeps extends AggregateDeps {
  /** Creates the profile of an identifier no profile has (uniqueness markers, concurrent creations). */
  readonly profiles: Pick<ProfileService, 'upsert'>;
  /** Batch reads of identifier owners and profiles: how the references of a batch are resolved. */
  readonly profileStore: Pick<ProfileStore, 'ownersOf' | 'getMany'>;
  /** The country phone numbers without a country code are read in (setting defaultCountry). */
  readonly defaultCountry: string;
  /** The clock future-dated events are judged against, and `receivedAt` (default: the system's). */
  readonly now?: () => Date;
  /** Events dated before this are refused (setting earliestEventDate; default 1970-01-01). */
  readonly earliestEventAt?: Date;
}

/** A profile created because an event named an identifier no profile had. */
export const EVENT_PROVENANCE: Provenance = { kind: 'internal', source: 'event' };

const CONCURRENCY = 16;

type Resolution = { profileId: string } | { errors: FieldError[] };

const identifierOf = (ref: ProfileRef): Partial<Record<IdentifierKind, string>> =>
  ref.externalId ? { externalId: ref.externalId } : ref.email ? { email: ref.email } : { phone: ref.phone! };

/**
 * Creates (or finds) the profile of an identifier through ProfileService.upsert, so the uniqueness
 * markers hold and a concurrent creation of the same person resolves to one profile.
 */
const upsert = async (deps: RecordEventsDeps, ref: ProfileRef): Promise<Resolution> => {
  try {
    return { profileId: (await deps.profiles.upsert(identifierOf(ref), EVENT_PROVENANCE)).profileId };
  } catch (error) {
    if (error instanceof ValidationError) {
      return { errors: error.details.map((d) => ({ path: `profile.${d.path}`, message: d.message })) };
    }
    throw error;
  }
};

/**
 * The profiles a batch's references are about, in batch reads: a profileId must exist (one read of
 * all of them); an external id, email or phone, normalised as ProfileService does, is looked up in
 * the identifier markers (a marker its profile no longer matches is ignored). Only an identifier no
 * profile has (or one that does not normalise, to report why) goes through `upsert`, which creates a
 * minimal profile; for an existing one upsert would change nothing.
 */
const resolveAll = async (
  deps: RecordEventsDeps,
  refs: ReadonlyMap<string, ProfileRef>,
): Promise<Map<string, Resolution>> => {
  const resolved = new Map<string, Resolution>();
  const ids = [...refs].flatMap(([, ref]) => (ref.profileId !== undefined ? [ref.profileId] : []));
  const lookups = [...refs].flatMap(([k, ref]) => {
    if (ref.profileId !== undefined) return [];
    const { fields, errors } = normalizeContactFields(identifierOf(ref), deps.defaultCountry);
    return [{ k, ref, key: errors.length > 0 ? undefined : identifierKeysOf(fields)[0]?.key }];
  });
  const [byId, { owners }] = await Promise.all([
    ids.length > 0 ? deps.profileStore.getMany(ids) : new Map<string, Profile>(),
    resolveIdentities(
      deps.profileStore,
      lookups.flatMap((l) => (l.key ? [l.key] : [])),
    ),
  ]);
  for (const [k, ref] of refs) {
    if (ref.profileId === undefined) continue;
    const profile = byId.get(ref.profileId);
    resolved.set(
      k,
      profile
        ? { profileId: profile.profileId }
        : { errors: [{ path: 'profile.profileId', message: 'no profile has this id' }] },
    );
  }
  const unowned: typeof lookups = [];
  for (const lookup of lookups) {
    const owner = lookup.key ? owners.get(lookup.key) : undefined;
    if (owner) resolved.set(lookup.k, { profileId: owner });
    else unowned.push(lookup);
  }
  await mapWithConcurrency(unowned, CONCURRENCY, async ({ k, ref }) => {
    resolved.set(k, await upsert(deps, ref));
  });
  return resolved;
};

const refKey = (ref: ProfileRef): string =>
  Object.entries(ref)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}\n${v}`)
    .join('\n');

/**
 * `POST /events`: every event is validated and resolved on its own, so a bad one is reported while
 * the rest are recorded. An invalid event (one dated in the future included: validateEvent against
 * `deps.now`, the clock) resolves no reference, so it creates no profile and changes no aggregate.
 * The references are resolved in batch reads and the new events written with conditional puts in
 * as few requests as the event log can (`putAllIfAbsent`). An eventId already stored for the
 * profile (or earlier in the batch) is a duplicate, recorded once. The aggregates of every profile
 * the batch touched are refreshed afterwards, duplicates included, so a retry after a failure
 * mid-way completes them.
 */
export const recordEvents = async (
  deps: RecordEventsDeps,
  batch: readonly unknown[],
): Promise<EventBatchResult> => {
  const now = (deps.now ?? (() => new Date()))();
  const receivedAt = now.toISOString();
  const results: ItemResult[] = new Array(batch.length);
  const checks = batch.map((raw) =>
    validateEvent(raw, {
      now,
      baseCurrency: deps.baseCurrency,
      rates: deps.rates,
      ...(deps.earliestEventAt ? { earliest: deps.earliestEventAt } : {}),
    }),
  );

  const refs = new Map<string, ProfileRef>();
  for (const check of checks)
    if ('event' in check) refs.set(refKey(check.event.profile), check.event.profile);
  const resolved = await resolveAll(deps, refs);

  const firstIndexOf = new Map<string, number>();
  const toWrite: { index: number; stored: StoredEvent }[] = [];
  checks.forEach((check, index) => {
    if (!('event' in check)) {
      results[index] = {
        index,
        ...(check.eventId ? { eventId: check.eventId } : {}),
        status: 'rejected',
        errors: [...check.errors],
      };
      return;
    }
    const { event } = check;
    const resolution = resolved.get(refKey(event.profile))!;
    if ('errors' in resolution) {
      results[index] = { index, eventId: event.eventId, status: 'rejected', errors: resolution.errors };
      return;
    }
    const { profileId } = resolution;
    const first = firstIndexOf.get(event.eventId);
    if (first !== undefined) {
      results[index] = {
        index,
        eventId: event.eventId,
        status: 'duplicate',
        profileId: results[first]?.profileId ?? profileId,
      };
      return;
    }
    firstIndexOf.set(event.eventId, index);
    results[index] = { index, eventId: event.eventId, status: 'accepted', profileId };
    toWrite.push({
      index,
      stored: {
        profileId,
        eventKey: eventKeyOf(event.eventId),
        eventId: event.eventId,
        type: event.type,
        timestamp: event.timestamp,
        at: utcInstant(event.timestamp),
        ...(event.properties ? { properties: event.properties } : {}),
        receivedAt,
        source: 'api',
        ...(check.rate !== undefined ? { fx: { base: deps.baseCurrency, rate: check.rate } } : {}),
      },
    });
  });

  // Each touched profile's fields in one batch read before the writes: the first attempt of every
  // refresh needs no read of its own, and its compare-and-set fails if anything (a concurrent
  // request's refresh that may already count these events) wrote the profile since.
  const touchedIds = [...new Set(toWrite.map((w) => w.stored.profileId))];
  const current = touchedIds.length > 0 ? await deps.activity.readMany(touchedIds) : new Map();
  const written = await deps.events.putAllIfAbsent(toWrite.map((w) => w.stored));
  toWrite.forEach(({ index }, i) => {
    if (!written[i]) results[index] = { ...results[index]!, status: 'duplicate' };
  });
  const touched = new Map<string, Mutable<ActivityChange>>();
  toWrite.forEach(({ stored }, i) => {
    const change = touched.get(stored.profileId) ?? { purchases: false, added: [], sawStored: false };
    touched.set(stored.profileId, change);
    change.purchases ||= MONEY_TYPES.includes(stored.type);
    const latestActivity = laterOf(change.latestActivity, stored.at);
    if (latestActivity) change.latestActivity = latestActivity;
    if (written[i]) (change.added as ActivityEvent[]).push(stored);
    else change.sawStored = true;
  });
  await mapWithConcurrency([...touched], CONCURRENCY, async ([profileId, change]) => {
    const activity = current.get(profileId);
    if (!activity) return refreshAggregates(deps, profileId, change);
    const events = change.purchases ? await deps.events.list(profileId, { types: MONEY_TYPES }) : [];
    return refreshAggregates(deps, profileId, change, { current: activity, events });
  });

  const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
  return {
    results,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
  };
};
