import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What an unsubscribe link stands for: this profile leaves this channel (sent by this run). */
export interface UnsubscribeClaim {
  readonly profileId: string;
  readonly channel: 'email' | 'sms';
  readonly runId: string;
}

const claimSchema = z.strictObject({
  p: z.string().min(1).max(128),
  c: z.enum(['email', 'sms']),
  r: z.string().min(1).max(128),
});

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** `<base64url JSON>.<base64url HMAC-SHA256>`: anyone can read it, nobody can forge or alter it. */
export const signUnsubscribeToken = (secret: string, claim: UnsubscribeClaim): string => {
  const payload = Buffer.from(
    JSON.stringify({ p: claim.profileId, c: claim.channel, r: claim.runId }),
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
    return parsed.success
      ? { profileId: parsed.data.p, channel: parsed.data.c, runId: parsed.data.r }
      : undefined;
  } catch {
    return undefined;
  }
};
