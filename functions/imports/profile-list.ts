import type { Manifest } from '../ingest/manifest';
import { MAX_TAGS } from '../profiles/profile';
import { ensureStaticList, type StaticListDeps, staticListTag } from '../segments/static-list';
import type { BeginResult, CleanContext } from './row-processor';

// A profile file as a list: the manifest's `tags` go on every row it imports, and its `segment`
// makes those rows a static segment (the segment's rule is the list tag each row also gets).

/** The manifest keys that only a profile file can use. */
const PROFILE_LIST_KEYS = ['tags', 'segment'] as const;

/** Every tag the manifest gives each imported row: its `tags`, then the list tag of its `segment`. */
export const manifestTags = (manifest: Manifest): string[] => [
  ...new Set([...(manifest.tags ?? []), ...(manifest.segment ? [staticListTag(manifest.segment)] : [])]),
];

/**
 * A row's tags with the manifest's added, or why not: a row the tags would take past a profile's
 * MAX_TAGS is rejected, as a row with that many tags of its own is (the profile could not be saved
 * through the API again).
 */
export const withManifestTags = (
  rowTags: readonly string[] | undefined,
  manifest: Manifest,
): { tags: string[] | undefined } | { reason: string } => {
  const added = manifestTags(manifest);
  if (added.length === 0) return { tags: rowTags ? [...rowTags] : undefined };
  const tags = [...new Set([...(rowTags ?? []), ...added])];
  if (tags.length > MAX_TAGS)
    return { reason: `tags: at most ${MAX_TAGS} tags, and the row has ${tags.length} with the manifest's` };
  return { tags };
};

/** For a file kind other than profiles: the import fails at once if its manifest names a list key. */
export const refuseProfileListKeys = (manifest: Manifest): BeginResult => {
  const named = PROFILE_LIST_KEYS.filter((k) => manifest[k] !== undefined);
  return named.length > 0
    ? {
        failureReason: `the manifest names ${named.join(' and ')}, which only profile files (imports/profiles/) take: a transaction file tags no one and makes no list`,
      }
    : { applied: {} };
};

/**
 * Before a profile file's first row (and again on every resumed invocation, which finds the same
 * segment): the static segment its manifest names, created if need be, or the reason the import
 * fails before any row is written.
 */
export const beginProfileList = async (
  segments: StaticListDeps | undefined,
  context: CleanContext,
  file: { readonly key: string },
): Promise<BeginResult> => {
  const { segment: name } = context.manifest;
  const appliedTags = manifestTags(context.manifest);
  const tagsOnly = appliedTags.length > 0 ? { appliedTags } : {};
  if (name === undefined) return { applied: tagsOnly };
  if (!segments) throw new Error('a profile import naming a segment needs the segment store');
  const list = await ensureStaticList(segments, name, `Static list from ${file.key}`);
  if ('refused' in list) return { failureReason: list.refused };
  return {
    applied: { ...tagsOnly, segment: { segmentId: list.segment.segmentId, name: list.segment.name } },
  };
};
