import { describe, expect, it } from 'vitest';
import { createImportRequestSchema } from '../imports/create-import-request';
import { manifestSchema } from './manifest';

const issues = (json: unknown) => {
  const parsed = manifestSchema.safeParse(json);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the manifest: tags and segment', () => {
  it('takes tags as profile tags (trimmed, duplicates once) and a segment name (trimmed)', () => {
    expect(
      manifestSchema.parse({ tags: [' spring-fair ', 'lead', 'lead'], segment: '  Spring fair leads ' }),
    ).toEqual({ tags: ['spring-fair', 'lead'], segment: 'Spring fair leads' });
  });

  it('refuses what a profile could not hold, naming the key', () => {
    expect(issues({ tags: [''] })).toEqual(['tags.0: must not be empty']);
    expect(issues({ tags: ['x'.repeat(65)] })).toEqual(['tags.0: must be at most 64 characters']);
    expect(issues({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual([
      'tags: at most 20 tags',
    ]);
    expect(issues({ tags: 'vip' })).toHaveLength(1);
    expect(issues({ segment: '   ' })).toEqual(['segment: must not be empty']);
    expect(issues({ segment: 's'.repeat(101) })).toEqual(['segment: must be at most 100 characters']);
  });

  it('POST /imports refuses them for a transaction file, and takes them for a profile file', () => {
    const manifest = { tags: ['vip'], segment: 'Leads' };
    const refused = createImportRequestSchema.safeParse({ key: 'imports/transactions/t.csv', manifest });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['manifest.tags', 'manifest.segment']);
    expect(createImportRequestSchema.safeParse({ key: 'imports/profiles/p.csv', manifest }).success).toBe(
      true,
    );
  });
});
