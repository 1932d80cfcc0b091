import { describe, expect, it } from 'vitest';
import { IdentifierTakenError, VersionMismatchError } from '../profiles/profile-store';
import { toHttpError } from './to-http-error';

describe('toHttpError', () => {
  it('tells a lost race (retry in a second) from an identity conflict (a retry repeats it)', () => {
    const race = toHttpError(new VersionMismatchError('p-1'))!;
    expect([race.status, race.code, race.headers['retry-after']]).toEqual([409, 'concurrent_write', '1']);
    const taken = toHttpError(new IdentifierTakenError('email', 'p-2'))!;
    expect([taken.status, taken.code, taken.headers['retry-after']]).toEqual([409, 'conflict', undefined]);
  });
});
