import { z } from 'zod';
import type { ScoreOptions } from '../scoring/score-customers';

const positive = z.number().positive();
const share = z.number().gt(0).lte(1);

/** The `scoringOptions` setting: overrides of the scoring defaults (see README "Scores"). */
export const scoringOptionsSchema = z.strictObject({
  nextPeriods: positive.optional(),
  clv: z
    .strictObject({
      horizonMonths: positive.optional(),
      stepMonths: positive.optional(),
      annualDiscountRate: z.number().gt(-1).lt(10).optional(),
      margin: z.number().gt(0).lte(1).optional(),
    })
    .optional(),
  rfm: z
    .strictObject({
      monetary: z.enum(['total', 'average']).optional(),
      segmentMap: z
        .array(z.array(z.string().min(1)).length(5))
        .length(5)
        .optional(),
    })
    .optional(),
  valueTiers: z
    .strictObject({
      mode: z.enum(['share', 'value']),
      tiers: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            topShare: share.optional(),
            minValue: z.number().optional(),
          }),
        )
        .min(1)
        .max(20),
    })
    .optional(),
  churnBands: z
    .array(z.strictObject({ name: z.string().min(1), minPAlive: z.number().min(0).max(1) }))
    .min(1)
    .max(10)
    .optional(),
  matrix: z
    .strictObject({
      valueLevels: z.record(z.string(), z.enum(['high', 'medium', 'low'])),
      actions: z.record(z.string(), z.strictObject({ action: z.string(), description: z.string() })),
    })
    .optional(),
  lifecycle: z
    .strictObject({
      newWithinDays: positive.optional(),
      recentDays: positive.optional(),
      reactivationGapDays: positive.optional(),
      atRiskPAlive: z.number().min(0).max(1).optional(),
      atRiskAfterDays: positive.optional(),
      lapsedPAlive: z.number().min(0).max(1).optional(),
      lapsedAfterDays: positive.optional(),
    })
    .optional(),
});

/** Reads the setting; anything malformed fails at cold start with the path and the reason. */
export const parseScoringOptions = (json: string): ScoreOptions => {
  let value: unknown;
  try {
    value = JSON.parse(json === '' ? '{}' : json);
  } catch {
    throw new Error('setting scoringOptions (SCORING_OPTIONS) is not JSON');
  }
  const parsed = scoringOptionsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `setting scoringOptions (SCORING_OPTIONS): ${issue.path.join('.') || '(root)'} ${issue.message}`,
    );
  }
  return parsed.data as ScoreOptions;
};
