import type { z } from 'zod';
import type { Provenance } from '../profiles/profile';
import type { ProfileService } from '../profiles/profile-service';
import { type FieldError, NotFoundError, ValidationError } from '../shared/domain-errors';
import type { eventResultSchema, ProfileRef } from './event-input';
import { mapWithConcurrency } from './map-with-concurrency';
import { type AggregateDeps, laterOf, refreshAggregates } from './refresh-aggregates';
import { eventKeyOf, MONEY_TYPES, type StoredEvent, utcInstant } from './stored-event';
import { validateEvent } from './validate-event';

export type EventBatchResult = z.infer<typeof eventResultSchema>;
type ItemResult = EventBatchResult['results'][number];

export interface RecordEventsDeps extends AggregateDeps {
  readonly profiles: Pick<ProfileService, 'get' | 'upsert'>;
  readonly now?: () => Date;
}

/** A profile created because an event named an identifier no profile had. */
export const EVENT_PROVENANCE: Provenance = { kind: 'internal', source: 'event' };

const CONCURRENCY = 16;

type Resolution = { profileId: string } | { errors: FieldError[] };

/**
 * The profile an event is about: a profileId must exist; an external id, email or phone no
 * profile has yet creates a minimal profile (through ProfileService.upsert, so the uniqueness
 * markers hold, and a concurrent creation of the same person resolves to one profile).
 */
const resolve = async (deps: RecordEventsDeps, ref: ProfileRef): Promise<Resolution> => {
  try {
    if (ref.profileId !== undefined) {
      return { profileId: (await deps.profiles.get(ref.profileId)).profileId };
    }
    const fields = ref.externalId
      ? { externalId: ref.externalId }
      : ref.email
        ? { email: ref.email }
        : { phone: ref.phone };
    return { profileId: (await deps.profiles.upsert(fields, EVENT_PROVENANCE)).profileId };
  } catch (error) {
    if (error instanceof NotFoundError) {
      return { errors: [{ path: 'profile.profileId', message: 'no profile has this id' }] };
    }
    if (error instanceof ValidationError) {
      return { errors: error.details.map((d) => ({ path: `profile.${d.path}`, message: d.message })) };
    }
    throw error;
  }
};

const refKey = (ref: ProfileRef): string =>
  Object.entries(ref)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}\n${v}`)
    .join('\n');

/**
 * `POST /events`: every event is validated, resolved and written on its own, so a bad one is
 * reported while the rest are recorded. An eventId already stored for the profile (or earlier in
 * the batch) is a duplicate, recorded once. The aggregates of every profile the batch touched are
 * refreshed afterwards, duplicates included, so a retry after a failure mid-way completes them.
 */
export const recordEvents = async (
  deps: RecordEventsDeps,
  batch: readonly unknown[],
): Promise<EventBatchResult> => {
  const now = (deps.now ?? (() => new Date()))();
  const receivedAt = now.toISOString();
  const results: ItemResult[] = new Array(batch.length);
  const checks = batch.map((raw) =>
    validateEvent(raw, { now, baseCurrency: deps.baseCurrency, rates: deps.rates }),
  );

  const refs = new Map<string, ProfileRef>();
  for (const check of checks)
    if ('event' in check) refs.set(refKey(check.event.profile), check.event.profile);
  const keys = [...refs.keys()];
  const resolved = new Map(
    (await mapWithConcurrency(keys, CONCURRENCY, (k) => resolve(deps, refs.get(k)!))).map((r, i) => [
      keys[i]!,
      r,
    ]),
  );

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

  const touched = new Map<string, { purchases: boolean; latestActivity?: string }>();
  await mapWithConcurrency(toWrite, CONCURRENCY, async ({ index, stored }) => {
    if (!(await deps.events.putIfAbsent(stored)))
      results[index] = { ...results[index]!, status: 'duplicate' };
  });
  for (const { stored } of toWrite) {
    const change = touched.get(stored.profileId) ?? { purchases: false };
    touched.set(stored.profileId, {
      purchases: change.purchases || MONEY_TYPES.includes(stored.type),
      ...(() => {
        const latestActivity = laterOf(change.latestActivity, stored.at);
        return latestActivity ? { latestActivity } : {};
      })(),
    });
  }
  await mapWithConcurrency([...touched], CONCURRENCY / 2, ([profileId, change]) =>
    refreshAggregates(deps, profileId, change),
  );

  const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
  return {
    results,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
  };
};
