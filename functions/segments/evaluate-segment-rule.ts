import { readContactLog } from '../campaigns/frequency-cap';
import { type ActivityPredicate, compileActivityCondition } from './activity-condition';
import { ACTIVITY_ATTRIBUTE, type ActivitySummary } from './activity-summary';
import { compileAttributeCondition } from './compile-attribute-condition';
import { parseDuration, shiftInstant } from './duration';
import { inSample } from './sample-share';
import { DEFAULT_SEGMENT_FIELDS, type ProfileItem, type SegmentFieldCatalogue } from './segment-fields';
import {
  isAll,
  isAny,
  isAttribute,
  isCampaign,
  isEvent,
  isNot,
  isSample,
  isSegmentRef,
  type SegmentRule,
  type SegmentRules,
} from './segment-rule';

// A segment rule evaluated on one profile. A preview or a run compiles the rule once into a
// predicate (fields resolved, dates and windows worked out from `now`, sets built, referenced
// segments inlined) and calls it on each profile item it reads: no parsing, no regex compilation
// and no date arithmetic on constants per profile. Evaluation is pure and deterministic for a
// fixed `now`. Missing values: see compile-attribute-condition.ts.

export interface SegmentSubject {
  /** The profile item as read (any projection holding attributesOf(rule)). */
  readonly profile: ProfileItem;
  /** The activity summary; when absent, the profile item's own `activity` attribute is read. */
  readonly activity?: ActivitySummary;
}

export interface SegmentEvaluationContext {
  readonly now: Date;
  /** Saved segments by id, for `segment` leaves. */
  readonly segments: SegmentRules;
  readonly fields?: SegmentFieldCatalogue;
}

export type SegmentPredicate = (subject: SegmentSubject) => boolean;

/**
 * Whether the profile's contact log (the sender's record of marketing sends, 30 days and 20 per
 * channel: campaigns/frequency-cap.ts) holds a send of the campaign within the window: how a
 * campaign leaf is answered for sends no message event records yet.
 */
const receivedInContactLog = (campaignId: string, within: string | undefined, nowMs: number) => {
  const duration = within !== undefined ? parseDuration(within) : undefined;
  const from = duration ? shiftInstant(nowMs, duration, -1) : Number.NEGATIVE_INFINITY;
  return (s: SegmentSubject): boolean => {
    const log = readContactLog(s.profile['contactLog']);
    return [...log.email, ...log.sms].some(
      (e) => e.campaignId === campaignId && e.at >= from && e.at <= nowMs,
    );
  };
};

const activityOf = (s: SegmentSubject): ActivitySummary | undefined =>
  s.activity ?? (s.profile[ACTIVITY_ATTRIBUTE] as ActivitySummary | undefined);

/**
 * The rule as a predicate. Throws on what parseSegmentRule refuses (unknown field or segment, a
 * cycle through segments), so a rule read back from storage that no longer holds fails loudly
 * instead of selecting the wrong audience.
 */
export const compileSegmentRule = (
  rule: SegmentRule,
  context: SegmentEvaluationContext,
): SegmentPredicate => {
  const fields = context.fields ?? DEFAULT_SEGMENT_FIELDS;
  const nowMs = context.now.getTime();
  if (Number.isNaN(nowMs)) throw new Error('evaluation time is not a valid date');
  const inlined = new Map<string, SegmentPredicate>();
  const resolving: string[] = [];

  const activity =
    (p: ActivityPredicate): SegmentPredicate =>
    (s) =>
      p(activityOf(s));

  const compile = (r: SegmentRule): SegmentPredicate => {
    if (isAll(r)) {
      const parts = r.all.map(compile);
      return (s) => {
        for (const p of parts) if (!p(s)) return false;
        return true;
      };
    }
    if (isAny(r)) {
      const parts = r.any.map(compile);
      return (s) => {
        for (const p of parts) if (p(s)) return true;
        return false;
      };
    }
    if (isNot(r)) {
      const child = compile(r.not);
      return (s) => !child(s);
    }
    if (isAttribute(r)) {
      const field = fields.field(r.attribute);
      if (!field) throw new Error(`unknown field ${r.attribute}`);
      const test = compileAttributeCondition(r, field, nowMs);
      return (s) => test(s.profile);
    }
    if (isEvent(r)) return activity(compileActivityCondition(r, context.now));
    if (isCampaign(r)) {
      const sent = activity(
        compileActivityCondition(
          {
            event: 'message_sent',
            op: 'did',
            ...(r.within !== undefined ? { within: r.within } : {}),
            where: [{ property: 'campaignId', op: 'eq', value: r.campaign }],
          },
          context.now,
        ),
      );
      const inLog = receivedInContactLog(r.campaign, r.within, nowMs);
      return r.op === 'received' ? (s) => sent(s) || inLog(s) : (s) => !(sent(s) || inLog(s));
    }
    if (isSample(r)) {
      const { seed, share } = r.sample;
      return (s) => {
        const id = s.profile.profileId;
        return typeof id === 'string' && inSample(seed, share, id);
      };
    }
    if (isSegmentRef(r)) {
      const known = inlined.get(r.segment);
      if (known) return known;
      if (resolving.includes(r.segment))
        throw new Error(`cycle through segments: ${[...resolving, r.segment].join(' -> ')}`);
      const target = context.segments.get(r.segment);
      if (!target) throw new Error(`unknown segment ${r.segment}`);
      resolving.push(r.segment);
      const predicate = compile(target);
      resolving.pop();
      inlined.set(r.segment, predicate);
      return predicate;
    }
    throw new Error('not a segment rule node');
  };
  return compile(rule);
};

/** One profile against a rule (compiles it each call: for many profiles, compileSegmentRule once). */
export const evaluateSegmentRule = (
  rule: SegmentRule,
  subject: SegmentSubject,
  context: SegmentEvaluationContext,
): boolean => compileSegmentRule(rule, context)(subject);
