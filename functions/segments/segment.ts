import { z } from 'zod';
import type { SegmentRule } from './segment-rule';

/** A saved segment: a named rule that campaigns and other segments refer to by id. */
export interface Segment {
  readonly segmentId: string;
  readonly name: string;
  readonly description?: string;
  readonly rule: SegmentRule;
  /** Starts at 1, one more on every update. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The segments and campaigns whose rules or audiences refer to this one (deleting it is a 409). */
  readonly usedBy: readonly string[];
}

export const SEGMENT_ID_PATTERN = /^seg_[A-Za-z0-9]{1,40}$/;
export const MAX_SEGMENTS = 1000;

/**
 * What a client writes. The rule is checked by parseSegmentRule, which names the JSON path of every
 * fault (a schema union could only say that no alternative matched); SegmentRule documents it.
 */
export const segmentInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
    rule: z.unknown().meta({ description: 'A SegmentRule (see the rule reference in the README).' }),
  })
  .meta({ id: 'SegmentInput' });
export type SegmentInput = z.infer<typeof segmentInputSchema>;

export const segmentPreviewRequestSchema = z
  .strictObject({ rule: z.unknown().meta({ description: 'A SegmentRule to evaluate without saving it.' }) })
  .meta({ id: 'SegmentPreviewRequest' });
