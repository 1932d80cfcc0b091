import { createHash } from 'node:crypto';
import { identifierKey, identifierKeysOf } from '../profiles/identifier-key';
import { type FieldSource, mergeProfileFields, provenanceOfAll } from '../profiles/merge-profile-fields';
import { IDENTIFIER_KINDS, type Profile, type ProfileFields } from '../profiles/profile';
import { normalizeContactFields, replaceProfile, sameFields } from '../profiles/profile-changes';
import type { ProfileStore } from '../profiles/profile-store';
import { resolveIdentities } from '../profiles/resolve-identities';
import type { StaticListDeps } from '../segments/static-list';
import { beginProfileList, withManifestTags } from './profile-list';
import type {
  BeginResult,
  CleanContext,
  CleanResult,
  PreparedChunk,
  RowOutcome,
  RowProcessor,
  RowRef,
} from './row-processor';

export const PROFILE_COUNTERS = ['created', 'updated', 'merged', 'unchanged'] as const;
export type ProfileCounter = (typeof PROFILE_COUNTERS)[number];

/** Turns one mapped record into profile fields (validation included), or the reasons it cannot. */
export type ProfileCleaner = (
  fields: Readonly<Record<string, string>>,
  context: CleanContext,
) => CleanResult<ProfileFields>;

/** A bought or exchanged list cannot opt anyone in: from an external source only denials count. */
const externalCannotOptIn = (
  consent: NonNullable<ProfileFields['consent']>,
  context: CleanContext,
): ProfileFields['consent'] | undefined => {
  const kept: NonNullable<ProfileFields['consent']> = {};
  for (const channel of ['email', 'sms'] as const) {
    const c = consent[channel];
    if (c && (context.source.kind === 'internal' || c.status !== 'granted')) kept[channel] = c;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
};

/** A profile created by an import row has an id derived from the row: re-applying finds it again. */
const createdId = (importId: string, row: number) =>
  `prf_${createHash('sha256').update(`${importId}#${row}`).digest('hex').slice(0, 24)}`;

/** Every attribute but the version, in any key order. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
};
const sameItem = (a: Profile, b: Profile): boolean =>
  JSON.stringify(canonical({ ...a, version: 0 })) === JSON.stringify(canonical({ ...b, version: 0 }));

interface Working {
  readonly original: Profile | undefined;
  current: Profile;
  /** Created or changed by this import already: a later row for it is an in-file duplicate. */
  touched: boolean;
  dirty: boolean;
}

/**
 * Profile files: rows are matched to profiles by external id, email, then phone (all of a chunk's
 * identifiers resolved in two batch reads), applied in file order in memory (so duplicates inside
 * a file merge before anything is written). Changed profiles are written several per transaction
 * with their uniqueness markers; new ones (ids derived from the import and row, created by this
 * import alone) markers first, then the profile items in plain batches (ClaimFirst): only the
 * markers go through transactions. Markers an earlier attempt at the chunk left for a profile it never
 * wrote are taken up again, or released if the plan changed.
 */
export class ProfileRowProcessor implements RowProcessor<ProfileFields, ProfileCounter> {
  readonly counters = PROFILE_COUNTERS;

  constructor(
    /** What an import needs of the store: who owns identifiers, the profiles, and batch saves. */
    private readonly store: Pick<ProfileStore, 'ownersOf' | 'getMany' | 'saveMany'>,
    private readonly cleaner: ProfileCleaner,
    /** Where a manifest's `segment` (a static list) is saved; needed only by files that name one. */
    private readonly segments?: StaticListDeps,
  ) {}

  begin(context: CleanContext, file: { readonly key: string }): Promise<BeginResult> {
    return beginProfileList(this.segments, context, file);
  }

  clean(fields: Readonly<Record<string, string>>, context: CleanContext): CleanResult<ProfileFields> {
    const cleaned = this.cleaner(fields, context);
    if ('reasons' in cleaned) return cleaned;
    const { fields: normalized, errors } = normalizeContactFields(cleaned.value, context.defaultCountry);
    if (errors.length > 0)
      return { reasons: errors.map((e) => `${e.path}: ${e.message}`), warnings: cleaned.warnings };
    if (!IDENTIFIER_KINDS.some((kind) => normalized[kind])) {
      return { reasons: ['needs at least one of email, phone or externalId'], warnings: cleaned.warnings };
    }
    // The manifest's tags and list tag go on every row that is not rejected here or in prepare.
    const tagged = withManifestTags(normalized.tags, context.manifest);
    if ('reason' in tagged) return { reasons: [tagged.reason], warnings: cleaned.warnings };
    const consent = externalCannotOptIn({ ...this.manifestConsent(context), ...normalized.consent }, context);
    const { consent: _dropped, tags: _own, ...rest } = normalized;
    return {
      value: { ...rest, ...(tagged.tags ? { tags: tagged.tags } : {}), ...(consent ? { consent } : {}) },
      warnings: cleaned.warnings,
    };
  }

  async prepare(
    rows: readonly { ref: RowRef; value: ProfileFields }[],
    context: CleanContext,
  ): Promise<PreparedChunk<ProfileCounter>> {
    const from: FieldSource = { source: context.source.name, kind: context.source.kind, at: context.now };
    // identifier key -> profile id, for the markers that still match their profile
    const {
      owners: state,
      profiles: stored,
      stale,
    } = await resolveIdentities(
      this.store,
      rows.flatMap((r) => identifierKeysOf(r.value).map((k) => k.key)),
    );
    // Markers an earlier attempt at this chunk claimed for profiles it created no item for (it died
    // in between): ids of this chunk's rows, whose profile does not exist.
    const ownIds = new Set(rows.map((r) => createdId(context.importId, r.ref.row)));
    const leftovers = new Map(
      [...stale].filter(([, profileId]) => ownIds.has(profileId) && !stored.has(profileId)),
    );
    const working = new Map<string, Working>();
    for (const profile of stored.values()) {
      working.set(profile.profileId, {
        original: profile,
        current: profile,
        touched: profile.lastImportId === context.importId,
        dirty: false,
      });
    }

    const outcomes: RowOutcome<ProfileCounter>[] = [];
    for (const { ref, value } of rows) {
      const keys = identifierKeysOf(value);
      const ids = [...new Set(keys.flatMap((k) => (state.has(k.key) ? [state.get(k.key)!] : [])))];
      if (ids.length > 1) {
        const who = keys
          .filter((k) => state.has(k.key))
          .map((k) => `${k.kind} belongs to profile ${state.get(k.key)}`)
          .join(', ');
        outcomes.push({ ref, outcome: 'rejected', reasons: [`conflict: ${who}`] });
        continue;
      }
      if (ids.length === 0) {
        const profileId = createdId(context.importId, ref.row);
        const created: Profile = {
          ...replaceProfile(
            profileId,
            { ...value, provenance: { kind: context.source.kind, source: context.source.name } },
            undefined,
            context.now,
            provenanceOfAll(value, from),
          ),
          lastImportId: context.importId,
        };
        working.set(profileId, { original: undefined, current: created, touched: true, dirty: true });
        for (const k of keys) state.set(k.key, profileId);
        outcomes.push({ ref, outcome: 'created' });
        continue;
      }
      const w = working.get(ids[0]!)!;
      const merged = mergeProfileFields(w.current, value, from);
      const next: Profile = {
        ...replaceProfile(
          w.current.profileId,
          merged.fields,
          w.original,
          context.now,
          merged.fieldProvenance,
        ),
        lastImportId: context.importId,
      };
      const changed = !sameFields(next, w.current);
      outcomes.push({ ref, outcome: w.touched ? 'merged' : changed ? 'updated' : 'unchanged' });
      if (changed) {
        for (const kind of IDENTIFIER_KINDS) {
          const before = w.current[kind];
          if (before && before !== next[kind]) state.delete(identifierKey(kind, before));
          if (next[kind]) state.set(identifierKey(kind, next[kind]!), next.profileId);
        }
        w.current = next;
        w.dirty = true;
        w.touched = true;
      }
    }

    // A profile this import already wrote may come out of the rows exactly as stored: an earlier
    // attempt at this chunk that died part-way through its writes left it so (each row applied
    // again ends where the first attempt did). Writing it again would only bump its version.
    const changes = [...working.values()]
      .filter((w) => w.dirty && !(w.original && sameItem(w.current, w.original)))
      .map((w) => ({ next: w.current, previous: w.original }));
    return { outcomes, commit: () => this.store.saveMany(changes, { claimFirst: { leftovers } }) };
  }

  private manifestConsent(context: CleanContext): NonNullable<ProfileFields['consent']> {
    const declared = context.manifest.consent ?? {};
    const consent: NonNullable<ProfileFields['consent']> = {};
    for (const channel of ['email', 'sms'] as const) {
      const status = declared[channel];
      if (status)
        consent[channel] = { status, source: context.source.name.slice(0, 100), timestamp: context.now };
    }
    return consent;
  }
}
