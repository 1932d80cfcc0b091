import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

const claim = { profileId: 'p-1', channel: 'email' as const, runId: 'reactivation-20261125T100000Z' };

describe('unsubscribe tokens', () => {
  it('round-trips a genuine token', () => {
    expect(verifyUnsubscribeToken('s3cret', signUnsubscribeToken('s3cret', claim))).toEqual(claim);
  });

  it('refuses a token signed with another key, an altered payload and garbage', () => {
    const token = signUnsubscribeToken('s3cret', claim);
    const [, signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ p: 'p-2', c: 'email', r: claim.runId })).toString(
      'base64url',
    );
    expect(verifyUnsubscribeToken('other', token)).toBeUndefined();
    expect(verifyUnsubscribeToken('s3cret', `${otherPayload}.${signature}`)).toBeUndefined();
    expect(verifyUnsubscribeToken('s3cret', 'nonsense')).toBeUndefined();
    expect(verifyUnsubscribeToken('s3cret', `${token}.x`)).toBeUndefined();
  });
});
