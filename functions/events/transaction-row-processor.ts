import { createHash } from 'node:crypto';
import { refuseProfileListKeys } from '../imports/profile-list';
import type {
  BeginResult,
  CleanContext,
  CleanResult,
  PreparedChunk,
  RowOutcome,
  RowProcessor,
  RowRef,
} from '../imports/row-processor';
import { identifierKeysOf } from '../profiles/identifier-key';
import type { Profile } from '../profiles/profile';
import { normalizeContactFields, replaceProfile } from '../profiles/profile-changes';
import type { ProfileStore } from '../profiles/profile-store';
import { resolveIdentities } from '../profiles/resolve-identities';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { rateFor } from './currency-rates';
import { planTransactionEvents } from './plan-transaction-events';
import type { ProfileActivity } from './profile-aggregate-store';
import type { PurchaseAggregates } from './purchase-aggregates';
import {
  type AggregateDeps,
  laterOf,
  nextActivity,
  refreshAggregates,
  summariseActivity,
} from './refresh-aggregates';
import { MONEY_TYPES, type StoredEvent } from './stored-event';
import type { TransactionCleaner, TransactionValue } from './transaction-value';
import { futureReason, isInTheFuture } from './validate-event';

/**
 * Per row: `recorded` (a new event for an existing profile), `createdProfile` (a new event whose
 * row created its profile: the first row of a customer not seen before), `duplicate` (the event
 * was recorded before: the same eventId, or the same transaction re-sent). Events written =
 * recorded + createdProfile.
 */
export const TRANSACTION_COUNTERS = ['recorded', 'createdProfile', 'duplicate'] as const;
export type TransactionCounter = (typeof TRANSACTION_COUNTERS)[number];

export interface TransactionProcessorDeps extends AggregateDeps {
  readonly profiles: Pick<ProfileStore, 'ownersOf' | 'getMany' | 'saveMany'>;
  readonly cleaner: TransactionCleaner;
}

const CONCURRENCY = 16;

/** A profile created by an import row has an id derived from the row: re-planning finds it again. */
const createdId = (importId: string, row: number) =>
  `prf_${createHash('sha256').update(`${importId}#transactions#${row}`).digest('hex').slice(0, 24)}`;

/**
 * Transaction files: every row becomes a purchase or refund event of its customer's profile,
 * through the same events and aggregates as `POST /events`. A chunk is planned from reads alone
 * (identifier owners and profiles in batch reads, the events of each matched profile), then
 * committed: new profiles (several per transaction, with their markers), the events in
 * BatchWriteItem calls (keyed puts, unprocessed items retried), and each touched profile's
 * aggregates recomputed once. Planning and committing a chunk again ends in the same state.
 */
export class TransactionRowProcessor implements RowProcessor<TransactionValue, TransactionCounter> {
  readonly counters = TRANSACTION_COUNTERS;

  constructor(private readonly deps: TransactionProcessorDeps) {}

  /** A manifest's `tags` and `segment` are for profile lists: refused rather than silently dropped. */
  begin(context: CleanContext): Promise<BeginResult> {
    return Promise.resolve(refuseProfileListKeys(context.manifest));
  }

  clean(fields: Readonly<Record<string, string>>, context: CleanContext): CleanResult<TransactionValue> {
    const cleaned = this.deps.cleaner(fields, context);
    if ('reasons' in cleaned) return cleaned;
    const warnings = cleaned.warnings;
    const value = cleaned.value;
    const { fields: normalized, errors } = normalizeContactFields(value.customer, context.defaultCountry);
    const reasons = errors.map((e) => `${e.path}: ${e.message}`);
    const currency = value.currency ?? context.manifest.currency ?? this.deps.baseCurrency;
    if (rateFor(currency, this.deps.baseCurrency, this.deps.rates) === undefined) {
      reasons.push(
        `currency: ${currency} has no rate to the base currency ${this.deps.baseCurrency} (setting currencyRates)`,
      );
    }
    // The same rule as POST /events, against the import's start (stable across invocations).
    if (isInTheFuture(value.timestamp, new Date(context.now))) {
      reasons.push(`date: ${value.timestamp} ${futureReason(value.type)}`);
    }
    if (reasons.length > 0) return { reasons, warnings };
    const customer = {
      ...(normalized.externalId ? { externalId: normalized.externalId } : {}),
      ...(normalized.email ? { email: normalized.email } : {}),
      ...(normalized.phone ? { phone: normalized.phone } : {}),
    };
    return { value: { ...value, customer, currency }, warnings };
  }

  async prepare(
    rows: readonly { ref: RowRef; value: TransactionValue }[],
    context: CleanContext,
  ): Promise<PreparedChunk<TransactionCounter>> {
    const { profiles } = this.deps;
    // identifier key -> profile id, for markers that still match their profile
    const { owners: state, profiles: stored } = await resolveIdentities(
      profiles,
      rows.flatMap((r) => identifierKeysOf(r.value.customer).map((k) => k.key)),
    );

    const created = new Map<string, Profile>();
    const placed: {
      index: number;
      ref: RowRef;
      profileId: string;
      value: TransactionValue;
      creates: boolean;
    }[] = [];
    const outcomes: (RowOutcome<TransactionCounter> | undefined)[] = rows.map(() => undefined);
    rows.forEach(({ ref, value }, index) => {
      const keys = identifierKeysOf(value.customer);
      const ids = [...new Set(keys.flatMap((k) => (state.has(k.key) ? [state.get(k.key)!] : [])))];
      if (ids.length > 1) {
        const who = keys
          .filter((k) => state.has(k.key))
          .map((k) => `${k.kind} belongs to profile ${state.get(k.key)}`)
          .join(', ');
        outcomes[index] = { ref, outcome: 'rejected', reasons: [`conflict: ${who}`] };
        return;
      }
      let profileId = ids[0];
      let creates = false;
      if (profileId === undefined) {
        profileId = createdId(context.importId, ref.row);
        created.set(profileId, {
          ...replaceProfile(
            profileId,
            { ...value.customer, provenance: { kind: context.source.kind, source: context.source.name } },
            undefined,
            context.now,
          ),
          lastImportId: context.importId,
        });
        creates = true;
      }
      // A row may name more identifiers than its profile has: they are not added from transactions.
      for (const k of keys) if (!state.has(k.key) && created.has(profileId)) state.set(k.key, profileId);
      placed.push({ index, ref, profileId, value, creates });
    });

    const existingIds = [...new Set(placed.map((p) => p.profileId))].filter((id) => !created.has(id));
    const existing = new Map<string, Map<string, StoredEvent>>();
    await mapWithConcurrency(existingIds, CONCURRENCY, async (profileId) => {
      const events = await this.deps.events.list(profileId, { types: MONEY_TYPES });
      existing.set(profileId, new Map(events.map((e) => [e.eventId, e])));
    });
    const currencyOf = (v: TransactionValue) => v.currency ?? this.deps.baseCurrency;
    const plan = planTransactionEvents(
      placed.map((p) => ({
        row: p.ref.row,
        profileId: p.profileId,
        value: p.value,
        rate: rateFor(currencyOf(p.value), this.deps.baseCurrency, this.deps.rates) ?? Number.NaN,
      })),
      existing,
      {
        importId: context.importId,
        now: context.now,
        source: context.source.name,
        baseCurrency: this.deps.baseCurrency,
      },
    );
    placed.forEach((p, i) => {
      const outcome = plan.outcomes[i]!;
      outcomes[p.index] = {
        ref: p.ref,
        outcome: outcome === 'recorded' && p.creates ? 'createdProfile' : outcome,
      };
    });

    const latest = new Map<string, string | undefined>();
    for (const p of placed) latest.set(p.profileId, laterOf(latest.get(p.profileId), p.value.timestamp));
    // Each touched profile's events after the writes: its aggregates follow without reading again.
    const after = new Map<string, Map<string, StoredEvent>>();
    for (const profileId of latest.keys()) after.set(profileId, new Map(existing.get(profileId) ?? []));
    for (const event of plan.writes) after.get(event.profileId)?.set(event.eventId, event);
    // A new profile is written with its aggregates; an existing one is refreshed after the events.
    for (const [profileId, profile] of created) {
      const events = [...after.get(profileId)!.values()];
      const activity = nextActivity({}, events, latest.get(profileId), this.deps, summariseActivity(events));
      created.set(profileId, { ...profile, ...(activity as Partial<Profile>) });
    }
    const refreshes = [...latest].filter(([profileId]) => !created.has(profileId));
    // The events each existing profile gets from this chunk, and whether a row of it was there already
    // (a re-applied chunk, a transaction sent again): then its activity is recounted.
    const added = new Map<string, StoredEvent[]>();
    for (const event of plan.writes)
      if (!existing.get(event.profileId)?.has(event.eventId))
        added.set(event.profileId, [...(added.get(event.profileId) ?? []), event]);
    // Adding to the summary is exact only when it counted exactly the events read above: a profile
    // written with the summary of events a crash then kept from being written, or one that also has
    // other events (visits through the API), is recounted.
    const sawStored = new Set(
      placed
        .filter(
          (p, i) =>
            plan.outcomes[i] !== 'recorded' ||
            stored.get(p.profileId)?.activityCount !== (existing.get(p.profileId)?.size ?? 0),
        )
        .map((p) => p.profileId),
    );

    return {
      outcomes: outcomes as RowOutcome<TransactionCounter>[],
      commit: async () => {
        await profiles.saveMany([...created.values()].map((next) => ({ next, previous: undefined })));
        await this.deps.events.putAll(plan.writes);
        await mapWithConcurrency(refreshes, CONCURRENCY, ([profileId, latestActivity]) => {
          const profile = stored.get(profileId);
          const current: ProfileActivity = {
            ...(profile?.purchases ? { purchases: profile.purchases as unknown as PurchaseAggregates } : {}),
            ...(profile?.lastPurchaseAt ? { lastPurchaseAt: profile.lastPurchaseAt } : {}),
            ...(profile?.lastActivityAt ? { lastActivityAt: profile.lastActivityAt } : {}),
            ...(profile?.activity ? { activity: profile.activity } : {}),
            ...(profile?.activityCount !== undefined ? { activityCount: profile.activityCount } : {}),
          };
          return refreshAggregates(
            this.deps,
            profileId,
            {
              purchases: true,
              ...(latestActivity ? { latestActivity } : {}),
              added: added.get(profileId) ?? [],
              sawStored: sawStored.has(profileId),
            },
            { current, events: [...after.get(profileId)!.values()] },
          );
        });
      },
    };
  }
}
