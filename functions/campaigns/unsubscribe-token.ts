import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What an unsubscribe link stands for: this profile leaves this channel (sent by this run). */
export interface UnsubscribeClaim {
  readonly profileId: string;
  readonly channel: 'email' | 'sms';
  readonly runId: string;
  /**
   * When the link was made (epoch seconds), so it can expire; links made before expiry existed
   * have none and never expire.
   */
  readonly issuedAt?: number;
}

const claimSchema = z.strictObject({
  p: z.string().min(1).max(128),
  c: z.enum(['email', 'sms']),
  r: z.string().min(1).max(128),
  t: z.number().int().nonnegative().optional(),
});

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** `<base64url JSON>.<base64url HMAC-SHA256>`: anyone can read it, nobody can forge or alter it. */
export const signUnsubscribeToken = (
  secret: string,
  claim: UnsubscribeClaim,
  now: Date = new Date(),
): string => {
  const t = claim.issuedAt ?? Math.floor(now.getTime() / 1000);
  const payload = Buffer.from(
    JSON.stringify({ p: claim.profileId, c: claim.channel, r: claim.runId, t }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
};

/** The claim of a genuine token; undefined for a forged, altered or malformed one. */
export const verifyUnsubscribeToken = (secret: string, token: string): UnsubscribeClaim | undefined => {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 1024) return undefined;
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const parsed = claimSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) return undefined;
    const { p, c, r, t } = parsed.data;
    return { profileId: p, channel: c, runId: r, ...(t === undefined ? {} : { issuedAt: t }) };
  } catch {
    return undefined;
  }
};

export type UnsubscribeTokenCheck =
  | { readonly status: 'valid'; readonly claim: UnsubscribeClaim }
  /** Genuine, but older than the links' lifetime: the page says how to get a new one. */
  | { readonly status: 'expired'; readonly claim: UnsubscribeClaim }
  | { readonly status: 'invalid' };

/** A token checked for its signature and its age (`maxAgeDays`, the UNSUBSCRIBE_LINK_DAYS setting). */
export const checkUnsubscribeToken = (
  secret: string,
  token: string,
  { now, maxAgeDays }: { now: Date; maxAgeDays: number },
): UnsubscribeTokenCheck => {
  const claim = verifyUnsubscribeToken(secret, token);
  if (!claim) return { status: 'invalid' };
  const expired =
    claim.issuedAt !== undefined && now.getTime() - claim.issuedAt * 1000 > maxAgeDays * 86_400_000;
  return { status: expired ? 'expired' : 'valid', claim };
};
