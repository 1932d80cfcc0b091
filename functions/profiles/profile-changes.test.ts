import { describe, expect, it } from 'vitest';
import { mergePatch, normalizeContactFields, replaceProfile, sameFields } from './profile-changes';

describe('normalizeContactFields', () => {
  it('trims and lowercases email and writes phones in E.164 with the default country', () => {
    const { fields, errors } = normalizeContactFields(
      { email: '  Ann.Lee@Example.COM ', phone: '07911 123456' },
      'GB',
    );
    expect(errors).toEqual([]);
    expect(fields.email).toBe('ann.lee@example.com');
    expect(fields.phone).toBe('+447911123456');
  });

  it('keeps an explicit country code whatever the default country', () => {
    expect(normalizeContactFields({ phone: '+1 (415) 555-2671' }, 'GB').fields.phone).toBe('+14155552671');
    expect(normalizeContactFields({ phone: '138 0013 8000' }, 'CN').fields.phone).toBe('+8613800138000');
  });

  it('names each invalid field', () => {
    const { errors } = normalizeContactFields({ email: 'not-an-email', phone: '12' }, 'GB');
    expect(errors.map((e) => e.path)).toEqual(['email', 'phone']);
  });
});

describe('mergePatch (RFC 7396)', () => {
  it('merges objects, removes on null and replaces arrays', () => {
    expect(
      mergePatch({ a: 1, b: { c: 2, d: 3 }, tags: ['x'] }, { a: null, b: { c: 5 }, tags: ['y'], e: 'new' }),
    ).toEqual({ b: { c: 5, d: 3 }, tags: ['y'], e: 'new' });
  });
});

describe('replaceProfile', () => {
  it('keeps creation data and bumps the version on replace', () => {
    const first = replaceProfile('p1', { firstName: 'Ann' }, undefined, '2026-01-01T00:00:00.000Z');
    expect(first).toMatchObject({
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      provenance: { kind: 'internal', source: 'api' },
    });
    const second = replaceProfile('p1', { lastName: 'Lee' }, first, '2026-02-01T00:00:00.000Z');
    expect(second.version).toBe(2);
    expect(second.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(second.firstName).toBeUndefined();
    expect(second.provenance.firstSeenAt).toBe('2026-01-01T00:00:00.000Z');
    expect(sameFields(first, second)).toBe(false);
    expect(
      sameFields(second, replaceProfile('p1', { lastName: 'Lee' }, second, '2026-03-01T00:00:00.000Z')),
    ).toBe(true);
  });
});
