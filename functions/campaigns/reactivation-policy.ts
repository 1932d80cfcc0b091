import type { Profile } from '../profiles/profile';

export type SkipReason =
  | 'recently_contacted'
  | 'unsubscribed'
  | 'no_consent'
  | 'no_contact_point'
  | 'sms_opted_out'
  | 'already_handled';

export type ReactivationDecision = { readonly send: 'email' | 'sms' } | { readonly skip: SkipReason };

export interface ReactivationRules {
  readonly now: Date;
  /** Lapsed: last purchase and last activity both older than this many days. */
  readonly lapsedDays: number;
  /** Contacted by a reactivation run within this many days: skipped. */
  readonly cooldownDays: number;
}

const DAY = 24 * 3600 * 1000;

/** What the rules below read of a profile: all a run needs to scan for. */
export const REACTIVATION_ATTRIBUTES = [
  'profileId',
  'lastPurchaseAt',
  'lastActivityAt',
  'lastReactivationAt',
  'email',
  'phone',
  'consent',
] as const satisfies readonly (keyof Profile)[];

export type ReactivationFields = Pick<Profile, (typeof REACTIVATION_ATTRIBUTES)[number]>;

/** The latest sign of life: last purchase or last activity, whichever is newer. */
export const lastEngagement = (profile: ReactivationFields): number | undefined => {
  const times = [profile.lastPurchaseAt, profile.lastActivityAt]
    .filter((t): t is string => Boolean(t))
    .map((t) => Date.parse(t));
  return times.length > 0 ? Math.max(...times) : undefined;
};

/** Lapsed customers only: a profile with no purchase or activity on record is a prospect, not lapsed. */
export const isLapsed = (profile: ReactivationFields, rules: ReactivationRules): boolean => {
  const last = lastEngagement(profile);
  return last !== undefined && last < rules.now.getTime() - rules.lapsedDays * DAY;
};

/**
 * What a reactivation run does with a lapsed profile: email when it has an address with email
 * consent, otherwise one SMS when it has a phone with SMS consent; else why not.
 */
export const decideReactivation = (
  profile: ReactivationFields,
  rules: ReactivationRules,
): ReactivationDecision => {
  if (
    profile.lastReactivationAt &&
    Date.parse(profile.lastReactivationAt) > rules.now.getTime() - rules.cooldownDays * DAY
  ) {
    return { skip: 'recently_contacted' };
  }
  const email = profile.consent?.email?.status;
  const sms = profile.consent?.sms?.status;
  if (profile.email && email === 'granted') return { send: 'email' };
  if (profile.phone && sms === 'granted') return { send: 'sms' };
  if (!profile.email && !profile.phone) return { skip: 'no_contact_point' };
  const reachable = [profile.email ? email : undefined, profile.phone ? sms : undefined];
  return { skip: reachable.includes('unsubscribed') ? 'unsubscribed' : 'no_consent' };
};
