import type { ProfileItem } from '../segments/segment-fields';

/** The profile attributes reachability reads: a preview's scan projects them with the rule's. */
export const REACHABILITY_ATTRIBUTES = ['email', 'phone', 'consent'] as const;

export interface Reachability {
  readonly email: boolean;
  readonly sms: boolean;
}

/**
 * Whether a marketing message could reach the profile on each channel, by what the profile holds:
 * a contact point and consent `granted` for that channel (an unsubscribe or a denial is never
 * overridden). The suppression list and carrier opt-outs are applied as well where the caller
 * knows them (`suppressed`), and again by the sender at the moment of sending.
 */
export const reachableChannels = (
  profile: ProfileItem,
  suppressed: (channel: 'email' | 'sms', address: string) => boolean = () => false,
): Reachability => {
  const consent = profile.consent as { email?: { status?: string }; sms?: { status?: string } } | undefined;
  const email = typeof profile.email === 'string' ? profile.email : undefined;
  const phone = typeof profile.phone === 'string' ? profile.phone : undefined;
  return {
    email: email !== undefined && consent?.email?.status === 'granted' && !suppressed('email', email),
    sms: phone !== undefined && consent?.sms?.status === 'granted' && !suppressed('sms', phone),
  };
};
