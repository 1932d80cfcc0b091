import { REACHABILITY_ATTRIBUTES, reachableChannels } from '../campaigns/reachable-channels';
import type { AudienceReader } from './audience-reader';
import { compileSegmentRule } from './evaluate-segment-rule';
import { attributesOf, planName, planSegmentRule } from './plan-segment-rule';
import { type Reach, ReachabilityTally, type SuppressedOf, type SuppressionList } from './reachability-tally';
import type { SegmentRule, SegmentRules } from './segment-rule';

export const PREVIEW_SAMPLE_SIZE = 10;

export interface SegmentPreview {
  /** Profiles the rule selects now, exactly. */
  readonly count: number;
  /**
   * Of those, how many a marketing message could reach on each channel, and on either: a contact
   * point with consent granted, not on the suppression list.
   */
  readonly reachable: { readonly email: number; readonly sms: number; readonly any: number };
  /** Up to 10 of the selected profile ids, the first the read met. */
  readonly sample: readonly string[];
  readonly evaluatedInMs: number;
  /** `index:byLifecycleTier`, `index:byValueRisk` or `scan`. */
  readonly plan: string;
  readonly evaluatedAt: string;
}

export type { SuppressedOf, SuppressionList } from './reachability-tally';

/**
 * Evaluates a (valid) rule over every profile its plan covers: the score indexes when the rule pins
 * their labels, else a Scan projecting only the attributes the rule and reachability read. The rule
 * is compiled once; each profile costs one predicate call, whatever its event history. A scan plan
 * checks suppressions against the whole list (`suppressionList`), an index plan looks its
 * addresses up (`suppressedOf`): reachability-tally.ts says why.
 */
export const previewSegment = async (
  deps: {
    readonly audience: AudienceReader;
    readonly suppressedOf?: SuppressedOf;
    readonly suppressionList?: SuppressionList;
    readonly now?: () => Date;
    readonly clock?: () => number;
  },
  rule: SegmentRule,
  segments: SegmentRules,
): Promise<SegmentPreview> => {
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const now = (deps.now ?? (() => new Date()))();
  const plan = planSegmentRule(rule, { segments });
  const attributes = attributesOf(rule, { segments, always: REACHABILITY_ATTRIBUTES });
  const matches = compileSegmentRule(rule, { now, segments });
  let count = 0;
  const sample: string[] = [];
  const tally = new ReachabilityTally(
    deps.suppressedOf,
    plan.kind === 'scan' ? deps.suppressionList : undefined,
  );
  await deps.audience.read(plan, attributes, async (profiles) => {
    const reachable: Reach[] = [];
    for (const profile of profiles) {
      if (!matches({ profile })) continue;
      count++;
      if (sample.length < PREVIEW_SAMPLE_SIZE) sample.push(profile.profileId as string);
      const reach = reachableChannels(profile);
      if (reach.email || reach.sms)
        reachable.push({
          ...(reach.email ? { email: profile.email as string } : {}),
          ...(reach.sms ? { sms: profile.phone as string } : {}),
        });
    }
    await tally.add(reachable);
  });
  await tally.done();
  return {
    count,
    reachable: { email: tally.email, sms: tally.sms, any: tally.any },
    sample,
    evaluatedInMs: Math.round(clock() - started),
    plan: planName(plan),
    evaluatedAt: now.toISOString(),
  };
};
