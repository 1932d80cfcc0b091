import { didYouMean } from './nearest-names';
import { parseCampaignLeaf, parseEventLeaf } from './parse-activity-leaf';
import { parseAttributeLeaf } from './parse-attribute-leaf';
import { isPlainObject, listOf, onlyKeys, type RuleError, RuleErrors } from './rule-errors';
import { DEFAULT_SEGMENT_FIELDS, type SegmentFieldCatalogue } from './segment-fields';
import {
  childrenOf,
  isSegmentRef,
  RULE_KINDS,
  referencedSegments,
  type SegmentRule,
  type SegmentRules,
} from './segment-rule';

// Untrusted JSON into a segment rule, or every reason it is not one, each with the JSON path of its
// node (`rule.all[1].op`) and words a marketer can act on. Segment references are resolved against
// the saved segments, so a rule that would loop (a segment that includes itself, directly or
// through others) is refused when it is saved, and the evaluator never meets a cycle.

export const MAX_RULE_DEPTH = 8;
/** Nodes of the rule, counting those of every segment it refers to (as often as it refers to them). */
export const MAX_RULE_NODES = 200;
export const MAX_SEED_LENGTH = 64;

export interface SegmentRuleContext {
  /** The saved segments' rules by segment id (already valid). */
  readonly segments: SegmentRules;
  /** The id of the segment being saved, when it has one: referring to it is a cycle. */
  readonly selfId?: string;
  /** Known campaign ids; when given, a campaign leaf naming another is refused. */
  readonly campaigns?: ReadonlySet<string>;
  readonly fields?: SegmentFieldCatalogue;
}

export type ParsedSegmentRule =
  | { readonly ok: true; readonly rule: SegmentRule; readonly nodes: number }
  | { readonly ok: false; readonly errors: readonly RuleError[] };

const NODE_HINT = `a rule is an object with one of ${listOf(RULE_KINDS.map((k) => `"${k}"`))}`;

/** Nodes of a saved segment's rule with its references expanded; a cycle counts once (reported elsewhere). */
const expandedSize = (
  id: string,
  segments: SegmentRules,
  memo: Map<string, number>,
  visiting: Set<string>,
): number => {
  const known = memo.get(id);
  if (known !== undefined) return known;
  const rule = segments.get(id);
  if (!rule || visiting.has(id)) return 0;
  visiting.add(id);
  const count = (r: SegmentRule): number =>
    1 +
    (isSegmentRef(r) ? expandedSize(r.segment, segments, memo, visiting) : 0) +
    childrenOf(r).reduce((n, c) => n + count(c), 0);
  const size = count(rule);
  visiting.delete(id);
  memo.set(id, size);
  return size;
};

const refsOf = (id: string, segments: SegmentRules): string[] => {
  const rule = segments.get(id);
  return rule ? referencedSegments(rule) : [];
};

/** The chain of segment ids from `start` to `target` through references (`[start, ..., target]`), if any. */
const chainTo = (start: string, target: string, segments: SegmentRules): string[] | undefined => {
  const seen = new Set<string>([start]);
  const walk = (id: string, chain: readonly string[]): string[] | undefined => {
    for (const next of refsOf(id, segments)) {
      if (next === target) return [...chain, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...chain, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
};

/** A cycle among the saved segments reachable from `start` (`[a, b, a]`), if any. */
const cycleFrom = (start: string, segments: SegmentRules): string[] | undefined => {
  const done = new Set<string>();
  const stack: string[] = [];
  const walk = (id: string): string[] | undefined => {
    const at = stack.indexOf(id);
    if (at >= 0) return [...stack.slice(at), id];
    if (done.has(id)) return undefined;
    stack.push(id);
    for (const next of refsOf(id, segments)) {
      const found = walk(next);
      if (found) return found;
    }
    stack.pop();
    done.add(id);
    return undefined;
  };
  return walk(start);
};

/** Parses `json` (the `rule` of a request) into a segment rule. */
export const parseSegmentRule = (json: unknown, context: SegmentRuleContext): ParsedSegmentRule => {
  const fields = context.fields ?? DEFAULT_SEGMENT_FIELDS;
  const errors = new RuleErrors();
  const memo = new Map<string, number>();
  let nodes = 0;

  const segmentLeaf = (node: Record<string, unknown>, path: string): SegmentRule | undefined => {
    onlyKeys(node, ['segment'], path, 'a segment leaf', errors);
    const id = node.segment;
    const at = `${path}.segment`;
    if (typeof id !== 'string' || id === '') return errors.add(at, 'must be a segment id');
    if (id === context.selfId) return errors.add(at, `cycle: segment ${id} cannot include itself`);
    if (!context.segments.has(id))
      return errors.add(at, `unknown segment ${id}${didYouMean(id, [...context.segments.keys()])}`);
    if (context.selfId !== undefined) {
      const chain = chainTo(id, context.selfId, context.segments);
      if (chain) return errors.add(at, `cycle: ${[context.selfId, ...chain].join(' -> ')}`);
    }
    const loop = cycleFrom(id, context.segments);
    if (loop) return errors.add(at, `cycle among saved segments: ${loop.join(' -> ')}`);
    nodes += expandedSize(id, context.segments, memo, new Set());
    return Object.keys(node).length === 1 ? { segment: id } : undefined;
  };

  const sampleLeaf = (node: Record<string, unknown>, path: string): SegmentRule | undefined => {
    const before = errors.count;
    onlyKeys(node, ['sample'], path, 'a sample leaf', errors);
    const sample = node.sample;
    const at = `${path}.sample`;
    if (!isPlainObject(sample)) return errors.add(at, 'must be {"share": 0.1, "seed": "..."}');
    onlyKeys(sample, ['share', 'seed'], at, 'a sample', errors);
    const { share, seed } = sample;
    if (typeof share !== 'number' || !(share > 0 && share <= 1))
      errors.add(`${at}.share`, 'must be a number above 0 and at most 1 (0.1 is 10 %)');
    if (typeof seed !== 'string' || seed === '' || seed.length > MAX_SEED_LENGTH)
      errors.add(
        `${at}.seed`,
        `must be a text of 1-${MAX_SEED_LENGTH} characters: the same seed gives the same sample`,
      );
    return errors.count > before ? undefined : { sample: { share: share as number, seed: seed as string } };
  };

  const children = (
    value: unknown,
    path: string,
    kind: 'all' | 'any',
    depth: number,
  ): SegmentRule[] | undefined => {
    if (!Array.isArray(value) || value.length === 0)
      return errors.add(path, `${kind} needs a non-empty list of rules`);
    const out = value.map((child, i) => parse(child, `${path}[${i}]`, depth + 1));
    return out.every((r) => r !== undefined) ? (out as SegmentRule[]) : undefined;
  };

  function parse(json: unknown, path: string, depth: number): SegmentRule | undefined {
    if (!isPlainObject(json)) return errors.add(path, `${NODE_HINT}`);
    if (depth > MAX_RULE_DEPTH)
      return errors.add(path, `too deep: rules nest at most ${MAX_RULE_DEPTH} levels`);
    nodes++;
    const kinds = RULE_KINDS.filter((k) => k in json);
    if (kinds.length === 0) {
      const keys = Object.keys(json);
      const hint = keys.length > 0 ? didYouMean(keys[0]!, RULE_KINDS) : '';
      return errors.add(
        path,
        `${keys.length > 0 ? `unknown key ${keys[0]}${hint} ` : ''}(${NODE_HINT})`.trim(),
      );
    }
    if (kinds.length > 1)
      return errors.add(
        path,
        `has both ${kinds[0]} and ${kinds[1]}: each node is one kind; combine them with all or any`,
      );
    switch (kinds[0]!) {
      case 'all':
      case 'any': {
        const kind = kinds[0] as 'all' | 'any';
        const keysOk = onlyKeys(json, [kind], path, `an ${kind} node`, errors);
        const list = children(json[kind], `${path}.${kind}`, kind, depth);
        return list && keysOk ? ((kind === 'all' ? { all: list } : { any: list }) as SegmentRule) : undefined;
      }
      case 'not': {
        const keysOk = onlyKeys(json, ['not'], path, 'a not node', errors);
        const child = parse(json.not, `${path}.not`, depth + 1);
        return child && keysOk ? { not: child } : undefined;
      }
      case 'attribute':
        return parseAttributeLeaf(json, path, fields, errors);
      case 'event':
        return parseEventLeaf(json, path, errors);
      case 'campaign':
        return parseCampaignLeaf(json, path, context.campaigns, errors);
      case 'segment':
        return segmentLeaf(json, path);
      default:
        return sampleLeaf(json, path);
    }
  }

  const rule = parse(json, 'rule', 1);
  if (nodes > MAX_RULE_NODES)
    errors.add(
      'rule',
      `too large: ${nodes} nodes counting the segments it refers to (at most ${MAX_RULE_NODES})`,
    );
  if (errors.count > 0 || !rule) return { ok: false, errors: errors.list };
  return { ok: true, rule, nodes };
};
