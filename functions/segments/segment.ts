import { z } from 'zod';
import { type SegmentRule, segmentRuleSchema } from './segment-rule';

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

/** A segment as the API returns it (the OpenAPI document's `Segment`). */
export const segmentSchema = z
  .object({
    segmentId: z.string(),
    name: z.string(),
    description: z.string().optional(),
    rule: segmentRuleSchema,
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    usedBy: z.array(z.string()).describe('Segments and campaigns that refer to this one.'),
  })
  .meta({ id: 'Segment' });

export const segmentPreviewSchema = z
  .object({
    segmentId: z.string().optional(),
    count: z.number().int().describe('Profiles the rule selects now, exactly.'),
    reachable: z
      .object({ email: z.number().int(), sms: z.number().int(), any: z.number().int() })
      .describe('Of those, how many a marketing message can reach: contact point and consent granted.'),
    sample: z.array(z.string()).describe('Up to 10 of the selected profile ids.'),
    evaluatedInMs: z.number().int(),
    plan: z.string().describe('`index:byLifecycleTier`, `index:byValueRisk` or `scan`.'),
    evaluatedAt: z.string(),
  })
  .meta({ id: 'SegmentPreview' });
