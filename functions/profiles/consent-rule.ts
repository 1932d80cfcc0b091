import type { Channel, Consent } from './profile';

// The one rule every path that writes consent goes through (PUT and PATCH of a profile, imports,
// and later merges and the preference centre): consent only moves the way the person moved it.
// - A withdrawal (denied, unsubscribed) always applies: less consent is never a risk to anyone.
// - A grant replaces a withdrawal only when it is explicit and newer than it; a grant dated before
//   the unsubscribe (a form filled in years ago, a stale CRM export) says nothing about today, and
//   neither does one that carries no time of its own (an import row's consent column is stamped
//   with the time of the import, not of the person's act).
// - Leaving consent out of a whole-profile write removes a grant but never a withdrawal: the record
//   that the person said no is what keeps the next campaign from them.
// - No consent is dated in the future (beyond clock skew): it would outrank what the person does
//   next. Those writes are refused, not corrected.
// What the rule keeps is said in a notice, so the API can tell the client its grant did not apply.

export const CONSENT_CHANNELS: readonly Channel[] = ['email', 'sms'];

/** Clocks of the systems that send consent are not ours: this much ahead of now is still "now". */
export const CONSENT_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface ConsentNotice {
  readonly path: `consent.${Channel}`;
  readonly message: string;
}

export type ConsentMap = Partial<Record<Channel, Consent>>;

const isWithdrawal = (c: Consent | undefined): boolean =>
  c?.status === 'denied' || c?.status === 'unsubscribed';

/**
 * The consent of one channel after `offered` (undefined: the write leaves it out) meets `stored`.
 * `explicit: false` when the offered timestamp is the time of the write, not of the person's act.
 */
export const nextConsent = (
  channel: Channel,
  stored: Consent | undefined,
  offered: Consent | undefined,
  { explicit = true }: { explicit?: boolean } = {},
): { consent: Consent | undefined; notice?: ConsentNotice } => {
  if (!stored || !isWithdrawal(stored) || isWithdrawal(offered)) return { consent: offered };
  const path = `consent.${channel}` as const;
  const since = `${stored.status} since ${stored.timestamp} (${stored.source})`;
  if (offered === undefined)
    return { consent: stored, notice: { path, message: `stays ${since}: a withdrawal is not erased` } };
  if (!explicit)
    return {
      consent: stored,
      notice: { path, message: `stays ${since}: a grant without a time of its own does not undo it` },
    };
  if (Date.parse(offered.timestamp) > Date.parse(stored.timestamp)) return { consent: offered };
  return {
    consent: stored,
    notice: {
      path,
      message: `stays ${since}: a grant dated ${offered.timestamp} is not newer than it`,
    },
  };
};

/** Both channels, for a write that states the whole consent (absent channels are left out). */
export const consentAfter = (
  stored: ConsentMap | undefined,
  offered: ConsentMap | undefined,
): { consent: ConsentMap; notices: ConsentNotice[] } => {
  const consent: ConsentMap = {};
  const notices: ConsentNotice[] = [];
  for (const channel of CONSENT_CHANNELS) {
    const next = nextConsent(channel, stored?.[channel], offered?.[channel]);
    if (next.consent) consent[channel] = next.consent;
    if (next.notice) notices.push(next.notice);
  }
  return { consent, notices };
};

/** The write's consent timestamps that lie in the future, as field errors. */
export const futureConsentErrors = (
  offered: ConsentMap | undefined,
  now: Date,
): { path: string; message: string }[] =>
  CONSENT_CHANNELS.flatMap((channel) => {
    const at = offered?.[channel]?.timestamp;
    return at && Date.parse(at) > now.getTime() + CONSENT_CLOCK_SKEW_MS
      ? [{ path: `consent.${channel}.timestamp`, message: 'must not be in the future' }]
      : [];
  });
