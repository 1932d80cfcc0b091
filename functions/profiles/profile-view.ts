import type { Profile } from './profile';

/** What the system keeps on a profile for itself, never shown by the API. */
type Internal =
  | 'activity'
  | 'activityCount'
  | 'contactLog'
  | 'scoreLifecycleTier'
  | 'scoreCell'
  | 'scoreRank';

/**
 * A profile as the API shows it: everything but the system's bookkeeping. The activity summary
 * (daily counts per event type, up to tens of KB) is the segment engine's, the contact log the
 * frequency cap's, and the score index keys (`scoreLifecycleTier`, `scoreCell`, `scoreRank`) the
 * GSIs' copies of `scores`: none is customer data a client reads, and a client that wrote them back
 * would be refused. The events themselves are the record of what the customer did.
 */
export const profileView = (profile: Profile): Omit<Profile, Internal> => {
  const {
    activity: _activity,
    activityCount: _count,
    contactLog: _log,
    scoreLifecycleTier: _tier,
    scoreCell: _cell,
    scoreRank: _rank,
    ...view
  } = profile;
  return view;
};
