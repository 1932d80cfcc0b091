import type { Profile } from './profile';

/**
 * A profile as the API shows it: everything but the activity summary, which is the segment
 * engine's bookkeeping (daily counts per event type, up to tens of KB) and the contact log the
 * frequency cap counts,, not customer data a client
 * reads; the events themselves are the record of what the customer did.
 */
export const profileView = (profile: Profile): Omit<Profile, 'activity' | 'activityCount' | 'contactLog'> => {
  const { activity: _activity, activityCount: _count, contactLog: _log, ...view } = profile;
  return view;
};
