import { REACHABILITY_ATTRIBUTES, reachableChannels } from '../campaigns/reachable-channels';
import type { AudienceReader } from './audience-reader';
import { compileSegmentRule } from './evaluate-segment-rule';
import { attributesOf, planName, planSegmentRule } from './plan-segment-rule';
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

/**
 * Evaluates a (valid) rule over every profile its plan covers: the score indexes when the rule pins
 * their labels, else a Scan projecting only the attributes the rule and reachability read. The rule
 * is compiled once; each profile costs one predicate call, whatever its event history.
 */
/** Which of these addresses are suppressed, as `channel#address` keys (the suppression list). */
export type SuppressedOf = (
  addresses: readonly { channel: 'email' | 'sms'; address: string }[],
) => Promise<ReadonlySet<string>>;

export const previewSegment = async (
  deps: {
    readonly audience: AudienceReader;
    readonly suppressedOf?: SuppressedOf;
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
  let email = 0;
  let sms = 0;
  let any = 0;
  const sample: string[] = [];
  await deps.audience.read(plan, attributes, async (profiles) => {
    const reachable: { email?: string; sms?: string }[] = [];
    for (const profile of profiles) {
      if (!matches({ profile })) continue;
      count++;
      if (sample.length < PREVIEW_SAMPLE_SIZE) sample.push(profile.profileId as string);
      const reach = reachableChannels(profile);
      reachable.push({
        ...(reach.email ? { email: profile.email as string } : {}),
        ...(reach.sms ? { sms: profile.phone as string } : {}),
      });
    }
    // One batch read of the suppression list per page, for the addresses consent would reach.
    const suppressed = deps.suppressedOf
      ? await deps.suppressedOf(
          reachable.flatMap((r) => [
            ...(r.email ? [{ channel: 'email' as const, address: r.email }] : []),
            ...(r.sms ? [{ channel: 'sms' as const, address: r.sms }] : []),
          ]),
        )
      : new Set<string>();
    for (const r of reachable) {
      const e = r.email !== undefined && !suppressed.has(`email#${r.email}`);
      const t = r.sms !== undefined && !suppressed.has(`sms#${r.sms}`);
      if (e) email++;
      if (t) sms++;
      if (e || t) any++;
    }
  });
  return {
    count,
    reachable: { email, sms, any },
    sample,
    evaluatedInMs: Math.round(clock() - started),
    plan: planName(plan),
    evaluatedAt: now.toISOString(),
  };
};
