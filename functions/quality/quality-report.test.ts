import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '../imports/import-record';
import { replaceProfile } from '../profiles/profile-changes';
import { QualityAccumulator } from './quality-report';

const at = '2026-01-01T00:00:00Z';
const granted = { status: 'granted' as const, source: 'web', timestamp: at };

describe('QualityAccumulator', () => {
  it('counts sources, contactability, consent and staleness, and sums the imports', () => {
    const q = new QualityAccumulator(new Date('2026-11-22T00:00:00Z'), 6);
    q.add(
      replaceProfile(
        'a',
        { email: 'a@x.co', phone: '+447400123456', consent: { email: granted } },
        undefined,
        at,
      ),
    );
    q.add(
      replaceProfile(
        'b',
        { email: 'b@x.co', provenance: { kind: 'external', source: 'bought' } },
        undefined,
        '2026-10-01T00:00:00Z',
      ),
    );
    q.add(replaceProfile('c', { phone: '+442079460000', consent: { sms: granted } }, undefined, at));
    q.add(replaceProfile('d', { externalId: 'X1' }, undefined, at));
    const report = q.report([
      { counts: { rowsRead: 10, merged: 3, rejected: 2 }, rejectedByReason: { conflict: 1, email: 1 } },
      { counts: { rowsRead: 5, merged: 1, rejected: 1 }, rejectedByReason: { conflict: 1 } },
    ] as unknown as ImportRecord[]);
    expect(report).toMatchObject({
      profiles: 4,
      bySource: { api: 3, bought: 1 },
      byProvenance: { internal: 3, external: 1 },
      contactability: {
        validEmail: { count: 2, share: 0.5 },
        validMobile: { count: 1, share: 0.25 },
        both: { count: 1 },
        neither: { count: 2 },
      },
      consent: { email: { count: 1 }, sms: { count: 1 } },
      stale: { count: 3, months: 6 },
      duplicatesMerged: 4,
      conflictsOpen: 2,
      rejectedByReason: { conflict: 2, email: 1 },
    });
  });

  it('reports zero shares for an empty base instead of dividing by zero', () => {
    expect(new QualityAccumulator(new Date(), 24).report([]).contactability.neither).toEqual({
      count: 0,
      share: 0,
    });
  });
});
