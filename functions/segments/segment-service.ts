import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-errors';
import { newId } from '../shared/new-id';
import { parseSegmentRule } from './parse-segment-rule';
import { toFieldErrors } from './rule-errors';
import { MAX_SEGMENTS, SEGMENT_ID_PATTERN, type Segment, type SegmentInput } from './segment';
import { referencedSegments, type SegmentRule, type SegmentRules } from './segment-rule';
import type { SegmentStore, SegmentWriteRefusal } from './segment-store';

export interface SegmentServiceDeps {
  readonly store: SegmentStore;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** The saved segments' rules by id: what a rule's `segment` leaves are checked and resolved against. */
export const rulesOf = (segments: readonly Segment[]): SegmentRules =>
  new Map(segments.map((s) => [s.segmentId, s.rule]));

const refusalError = (refusal: SegmentWriteRefusal, name: string): Error => {
  switch (refusal.kind) {
    case 'name-taken':
      return new ConflictError(`A segment named "${name}" exists already.`, [
        { path: 'name', message: `already used by segment ${refusal.segmentId}` },
      ]);
    case 'missing-reference':
      return new ValidationError([
        { path: 'rule', message: `refers to segment ${refusal.segmentId}, which was deleted meanwhile` },
      ]);
    case 'changed':
      return new ConflictError('The segment changed meanwhile; read it again and retry.');
  }
};

/**
 * Creating, changing and deleting segments. A rule is validated against every saved segment (so
 * unknown segments and cycles are refused with the JSON path of the node), and the store keeps the
 * references in the same write, so a segment in use can never be deleted.
 */
export class SegmentService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: SegmentServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => newId('seg'));
  }

  async get(segmentId: string): Promise<Segment> {
    const segment = SEGMENT_ID_PATTERN.test(segmentId) ? await this.deps.store.get(segmentId) : undefined;
    if (!segment) throw new NotFoundError(`No segment ${segmentId}.`);
    return segment;
  }

  list(): Promise<Segment[]> {
    return this.deps.store.list();
  }

  /** A rule checked against the saved segments, or the 422 naming each fault. */
  async checkRule(rule: unknown, selfId?: string): Promise<{ rule: SegmentRule; segments: SegmentRules }> {
    const segments = rulesOf(await this.deps.store.list());
    const parsed = parseSegmentRule(rule, { segments, ...(selfId ? { selfId } : {}) });
    if (!parsed.ok) throw new ValidationError(toFieldErrors(parsed.errors), 'The rule is not valid.');
    return { rule: parsed.rule, segments };
  }

  /** `segmentId` is new unless given (a natural key, for what the deployment creates). */
  async create(input: SegmentInput, segmentId = this.newId()): Promise<Segment> {
    const { rule, segments } = await this.checkRule(input.rule);
    if (segments.size >= MAX_SEGMENTS)
      throw new ConflictError(`There are ${MAX_SEGMENTS} segments already; delete some first.`);
    const at = this.now().toISOString();
    const segment: Segment = {
      segmentId,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      rule,
      version: 1,
      createdAt: at,
      updatedAt: at,
      usedBy: [],
    };
    const refusal = await this.deps.store.create(segment, referencedSegments(rule));
    if (refusal) throw refusalError(refusal, input.name);
    return segment;
  }

  async update(segmentId: string, input: SegmentInput): Promise<Segment> {
    const previous = await this.get(segmentId);
    const { rule } = await this.checkRule(input.rule, segmentId);
    const next: Segment = {
      ...previous,
      name: input.name,
      rule,
      version: previous.version + 1,
      updatedAt: this.now().toISOString(),
    };
    if (input.description !== undefined) (next as { description?: string }).description = input.description;
    else delete (next as { description?: string }).description;
    const before = new Set(referencedSegments(previous.rule));
    const after = new Set(referencedSegments(rule));
    const refusal = await this.deps.store.update(next, previous, {
      added: [...after].filter((id) => !before.has(id)),
      removed: [...before].filter((id) => !after.has(id)),
    });
    if (refusal) throw refusalError(refusal, input.name);
    return next;
  }

  async delete(segmentId: string): Promise<void> {
    const segment = await this.get(segmentId);
    const result = await this.deps.store.delete(segment, referencedSegments(segment.rule));
    if (result.kind === 'missing') throw new NotFoundError(`No segment ${segmentId}.`);
    if (result.kind === 'changed') throw refusalError({ kind: 'changed' }, segment.name);
    if (result.kind === 'in-use')
      throw new ConflictError(
        `Segment ${segmentId} is used by ${result.usedBy.join(', ')}; change or delete those first.`,
        result.usedBy.map((id) => ({ path: 'usedBy', message: id })),
      );
  }
}
