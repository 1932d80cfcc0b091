import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOneClickPost } from './one-click-post';
import { checkUnsubscribeToken, signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

const claim = { profileId: 'p-1', channel: 'email' as const, runId: 'reactivation-20261125T100000Z' };

describe('unsubscribe tokens', () => {
  it('round-trips a genuine token', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    expect(verifyUnsubscribeToken('s3cret', signUnsubscribeToken('s3cret', claim, now))).toEqual({
      ...claim,
      issuedAt: now.getTime() / 1000,
    });
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

  it('expires a token after the links’ lifetime; one issued before expiry existed never expires', () => {
    const issued = new Date('2025-12-04T10:00:00Z');
    const token = signUnsubscribeToken('s3cret', claim, issued);
    const at = (iso: string) =>
      checkUnsubscribeToken('s3cret', token, { now: new Date(iso), maxAgeDays: 365 });
    expect(at('2026-12-04T09:59:59Z').status).toBe('valid');
    expect(at('2026-12-04T10:00:01Z')).toMatchObject({ status: 'expired', claim: { profileId: 'p-1' } });
    expect(checkUnsubscribeToken('x', token, { now: issued, maxAgeDays: 365 }).status).toBe('invalid');
    // A link from before: its payload has no `t`, its signature is genuine.
    const payload = Buffer.from(JSON.stringify({ p: 'p-1', c: 'email', r: claim.runId })).toString(
      'base64url',
    );
    const old = `${payload}.${createHmac('sha256', 's3cret').update(payload).digest('base64url')}`;
    expect(
      checkUnsubscribeToken('s3cret', old, { now: new Date('2040-01-01'), maxAgeDays: 365 }).status,
    ).toBe('valid');
  });

  it('takes a POST as an unsubscribe only with RFC 8058’s List-Unsubscribe=One-Click body', () => {
    expect(isOneClickPost({ body: 'List-Unsubscribe=One-Click', isBase64Encoded: false })).toBe(true);
    const encoded = Buffer.from('a=1&List-Unsubscribe=One-Click').toString('base64');
    expect(isOneClickPost({ body: encoded, isBase64Encoded: true })).toBe(true);
    expect(isOneClickPost({ body: '', isBase64Encoded: false })).toBe(false);
    expect(isOneClickPost({ body: '{"List-Unsubscribe":"One-Click"}', isBase64Encoded: false })).toBe(false);
    expect(isOneClickPost({ body: 'List-Unsubscribe=Yes', isBase64Encoded: false })).toBe(false);
  });
});
