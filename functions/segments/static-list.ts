import { createHash } from 'node:crypto';
import { newId } from '../shared/new-id';
import { MAX_SEGMENTS, type Segment } from './segment';
import { type AttributeRule, isAttribute, type SegmentRule } from './segment-rule';
import type { SegmentStore } from './segment-store';

// A static list: a segment whose rule is "has the tag list:<slug>", and whose members are the rows
// of the drop-folder files that named it (each imported row gets the tag). The tag, not a member
// list, is the membership, so a list of a million rows costs one small segment item, previews and
// campaigns read it like any other rule, and a later file naming the same list grows it.

export const LIST_TAG_PREFIX = 'list:';
const MAX_SLUG_BASE = 40;
/** As segmentInputSchema allows. */
const MAX_DESCRIPTION = 500;

/**
 * The tag of the static list `name`: `list:` + the name as a lower-case a-z0-9- id + a hash of the
 * name as the segment store tells names apart (case-insensitively), so names that slug alike
 * (`Spring fair!` and `Spring fair?`, or names without Latin letters) never share a tag, and
 * `Spring Fair` and `spring fair`, one segment to the store, are one list.
 */
export const staticListTag = (name: string): string => {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_BASE)
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(name.trim().toLowerCase()).digest('hex').slice(0, 10);
  return `${LIST_TAG_PREFIX}${base ? `${base}-` : ''}${hash}`;
};

export const staticListRule = (name: string): AttributeRule => ({
  attribute: 'tags',
  op: 'contains',
  value: staticListTag(name),
});

/** Whether a stored rule is exactly the static-list rule of `tag` (whatever its key order). */
const isStaticListRuleOf = (rule: SegmentRule, tag: string): boolean =>
  isAttribute(rule) &&
  Object.keys(rule).length === 3 &&
  rule.attribute === 'tags' &&
  rule.op === 'contains' &&
  rule.value === tag;

export type StaticListOutcome =
  | { readonly segment: Segment; readonly created: boolean }
  | { readonly refused: string };

export interface StaticListDeps {
  readonly store: Pick<SegmentStore, 'list' | 'get' | 'create'>;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

const notStatic = (name: string) => ({ refused: `segment "${name}" exists and is not a static list` });

/**
 * The static list `name`: the segment of that name if its rule is the list's rule, else a new one.
 * Safe to repeat (a resumed or redelivered import) and to race (two files naming one new list): the
 * store refuses a second segment of a name, and the loser reuses the winner's. Refused, changing
 * nothing, when the name belongs to a segment with another rule, when the list's tag is another
 * segment's (a static list renamed since: a new list under its old name would inherit its
 * members), or when the segments are at their limit.
 */
export const ensureStaticList = async (
  deps: StaticListDeps,
  name: string,
  description: string,
): Promise<StaticListOutcome> => {
  const tag = staticListTag(name);
  const reuse = (segment: Segment | undefined): StaticListOutcome =>
    segment && isStaticListRuleOf(segment.rule, tag) ? { segment, created: false } : notStatic(name);
  const segments = await deps.store.list();
  const named = segments.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (named) return reuse(named);
  const heir = segments.find((s) => isStaticListRuleOf(s.rule, tag));
  if (heir)
    return {
      refused: `segment "${name}": its list tag ${tag} is the rule of segment ${heir.segmentId} ("${heir.name}") already (a static list renamed since?); name that segment, or choose another name`,
    };
  if (segments.length >= MAX_SEGMENTS)
    return { refused: `segment "${name}": there are ${MAX_SEGMENTS} segments already; delete some first` };
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const segment: Segment = {
    segmentId: (deps.newId ?? (() => newId('seg')))(),
    name,
    description: description.slice(0, MAX_DESCRIPTION),
    rule: staticListRule(name),
    version: 1,
    createdAt: at,
    updatedAt: at,
    usedBy: [],
  };
  const refusal = await deps.store.create(segment, []);
  if (!refusal) return { segment, created: true };
  if (refusal.kind === 'name-taken') return reuse(await deps.store.get(refusal.segmentId));
  throw new Error(`creating the static list "${name}" was refused: ${refusal.kind}`);
};
