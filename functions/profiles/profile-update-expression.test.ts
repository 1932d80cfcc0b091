import { describe, expect, it } from 'vitest';
import type { Profile } from './profile';
import { profileUpdateExpression } from './profile-update-expression';

const stored = {
  profileId: 'p1',
  version: 3,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  email: 'a@b.co',
  firstName: 'Ann',
  purchases: { count: 2 },
  scores: { clv: 10 },
} as unknown as Profile;

describe('profileUpdateExpression', () => {
  it('sets what the next profile holds, removes what it dropped, on the version read', () => {
    const {
      purchases: _p,
      scores: _s,
      firstName: _f,
      ...rest
    } = stored as unknown as Record<string, unknown>;
    const next = { ...rest, version: 4, lastName: 'Lee' } as unknown as Profile;
    const update = profileUpdateExpression('profiles', next, stored);
    expect(update.Key).toEqual({ profileId: 'p1' });
    expect(update.ConditionExpression).toBe('#version = :expected');
    expect(update.ExpressionAttributeValues[':expected']).toBe(3);
    const named = (expr: string) => expr.replace(/#a\d+/g, (n) => update.ExpressionAttributeNames[n]!);
    const [set, remove] = update.UpdateExpression.split(' REMOVE ');
    expect(named(set!)).toBe(
      'SET version = :a0, createdAt = :a1, updatedAt = :a2, email = :a3, lastName = :a4',
    );
    // Purchases and scores belong to other writers: neither set nor removed, though `next` lacks them.
    expect(named(remove!)).toBe('firstName');
    expect(update.ExpressionAttributeValues[':a4']).toBe('Lee');
  });
});
