import { describe, expect, it } from 'vitest';
import { identifierKey, identifierKeysOf, identifierOfKey } from './identifier-key';

describe('identifier keys', () => {
  it('encode kind and value, and read back a value holding #', () => {
    expect(identifierKey('email', 'ann@example.com')).toBe('email#ann@example.com');
    expect(identifierOfKey(identifierKey('externalId', 'C#1#2'))).toEqual({
      kind: 'externalId',
      value: 'C#1#2',
    });
  });

  it('list the keys of the identifiers a record holds, in kind order', () => {
    expect(identifierKeysOf({ phone: '+447911123456', email: 'a@b.co', externalId: '' })).toEqual([
      { kind: 'email', key: 'email#a@b.co' },
      { kind: 'phone', key: 'phone#+447911123456' },
    ]);
  });
});
