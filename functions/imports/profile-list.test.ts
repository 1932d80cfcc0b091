import { describe, expect, it } from 'vitest';
import { InMemoryProfiles, profileNamed } from '../events/in-memory-stores.test-helpers';
import { TransactionRowProcessor } from '../events/transaction-row-processor';
import type { Manifest } from '../ingest/manifest';
import { MAX_TAGS } from '../profiles/profile';
import type { Segment } from '../segments/segment';
import { staticListRule, staticListTag } from '../segments/static-list';
import { beginProfileList, manifestTags } from './profile-list';
import { profileCleaner } from './profile-reading';
import { ProfileRowProcessor } from './profile-row-processor';
import type { CleanContext } from './row-processor';

const contextWith = (manifest: Manifest): CleanContext => ({
  importId: 'imp_1',
  manifest,
  defaultCountry: 'GB',
  source: { name: 'fair', kind: 'internal' },
  now: '2026-04-01T10:00:00.000Z',
});

const LIST = staticListTag('Spring fair leads');

/** Cleans and applies rows as the pipeline does, in one chunk; returns outcomes by row. */
const importRows = async (profiles: InMemoryProfiles, manifest: Manifest, rows: Record<string, string>[]) => {
  const processor = new ProfileRowProcessor(profiles, profileCleaner);
  const context = contextWith(manifest);
  const outcomes: Record<number, string> = {};
  const valid = [];
  for (const [i, fields] of rows.entries()) {
    const cleaned = processor.clean(fields, context);
    if ('reasons' in cleaned) outcomes[i + 1] = `rejected: ${cleaned.reasons.join('; ')}`;
    else valid.push({ ref: { row: i + 1, line: i + 2, raw: '' }, value: cleaned.value });
  }
  const prepared = await processor.prepare(valid, context);
  for (const o of prepared.outcomes) outcomes[o.ref.row] = o.outcome;
  await prepared.commit();
  return outcomes;
};

const tagsOf = (profiles: InMemoryProfiles, email: string) =>
  [...profiles.profiles.values()].find((p) => p.email === email)?.tags;

describe('a profile file with manifest tags and a segment', () => {
  const manifest: Manifest = { tags: ['fair-2026', 'lead'], segment: 'Spring fair leads' };

  it('gives every imported row the tags and the list tag, added to its own and the profile’s', async () => {
    const profiles = new InMemoryProfiles();
    profiles.profiles.set('B', profileNamed('B', { email: 'bob@example.com', tags: ['vip', 'lead'] }));
    profiles.markers.set('email#bob@example.com', 'B');
    const outcomes = await importRows(profiles, manifest, [
      { email: 'ann@example.com', tags: 'winter' },
      { email: 'bob@example.com' },
      { firstName: 'No identifier' },
      { email: 'ann@example.com', firstName: 'Ann' },
    ]);
    expect(outcomes).toEqual({
      1: 'created',
      2: 'updated',
      3: expect.stringMatching(/^rejected: no identifier/),
      4: 'merged',
    });
    expect(tagsOf(profiles, 'ann@example.com')).toEqual(['winter', 'fair-2026', 'lead', LIST]);
    expect(tagsOf(profiles, 'bob@example.com')).toEqual(['vip', 'lead', 'fair-2026', LIST]);
    expect(profiles.profiles.size).toBe(2);
  });

  it('counts a row that already has every tag as unchanged (a file imported again)', async () => {
    const profiles = new InMemoryProfiles();
    await importRows(profiles, manifest, [{ email: 'ann@example.com' }]);
    const again = new ProfileRowProcessor(profiles, profileCleaner);
    const context = { ...contextWith(manifest), importId: 'imp_2' };
    const cleaned = again.clean({ email: 'ann@example.com' }, context);
    if ('reasons' in cleaned) throw new Error('rejected');
    const prepared = await again.prepare(
      [{ ref: { row: 1, line: 2, raw: '' }, value: cleaned.value }],
      context,
    );
    expect(prepared.outcomes.map((o) => o.outcome)).toEqual(['unchanged']);
  });

  it('rejects a row the manifest’s tags would take past a profile’s limit', async () => {
    const own = Array.from({ length: MAX_TAGS - 2 }, (_, i) => `t${i}`).join(';');
    const outcomes = await importRows(new InMemoryProfiles(), manifest, [
      { email: 'ann@example.com', tags: own },
    ]);
    expect(outcomes[1]).toBe(
      `rejected: tags: at most ${MAX_TAGS} tags, and the row has ${MAX_TAGS + 1} with the manifest's`,
    );
  });

  it('leaves rows as they were without list keys', async () => {
    const profiles = new InMemoryProfiles();
    await importRows(profiles, {}, [{ email: 'ann@example.com' }, { email: 'cat@example.com', tags: 'x' }]);
    expect(tagsOf(profiles, 'ann@example.com')).toEqual([]);
    expect(tagsOf(profiles, 'cat@example.com')).toEqual(['x']);
    expect(manifestTags({})).toEqual([]);
  });
});

describe('beginning a profile list', () => {
  const store = (existing: Segment[] = []) => {
    const items = new Map(existing.map((s) => [s.segmentId, s]));
    return {
      items,
      list: async () => [...items.values()],
      get: async (id: string) => items.get(id),
      create: async (s: Segment) => {
        items.set(s.segmentId, s);
        return undefined;
      },
    };
  };
  const file = { key: 'imports/profiles/fair.csv' };

  it('reports the tags it applies and the segment the rows join', async () => {
    const segments = store();
    const begun = await beginProfileList(
      { store: segments, newId: () => 'seg_fair' },
      contextWith({ tags: ['lead'], segment: 'Spring fair leads' }),
      file,
    );
    expect(begun).toEqual({
      applied: { appliedTags: ['lead', LIST], segment: { segmentId: 'seg_fair', name: 'Spring fair leads' } },
    });
    expect(segments.items.get('seg_fair')).toMatchObject({
      description: 'Static list from imports/profiles/fair.csv',
      rule: staticListRule('Spring fair leads'),
    });
    expect(await beginProfileList(undefined, contextWith({ tags: ['lead'] }), file)).toEqual({
      applied: { appliedTags: ['lead'] },
    });
    expect(await beginProfileList(undefined, contextWith({}), file)).toEqual({ applied: {} });
  });

  it('fails the import when the name is a segment with another rule', async () => {
    const vip: Segment = {
      segmentId: 'seg_vip',
      name: 'Spring fair leads',
      rule: { attribute: 'country', op: 'eq', value: 'GB' },
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      usedBy: [],
    };
    expect(
      await beginProfileList({ store: store([vip]) }, contextWith({ segment: 'Spring fair leads' }), file),
    ).toEqual({ failureReason: 'segment "Spring fair leads" exists and is not a static list' });
  });

  it('a transaction file whose manifest names tags or a segment fails at once', async () => {
    const processor = new TransactionRowProcessor(
      {} as ConstructorParameters<typeof TransactionRowProcessor>[0],
    );
    expect(await processor.begin(contextWith({ segment: 'Leads', currency: 'GBP' }))).toEqual({
      failureReason: expect.stringMatching(/^the manifest names segment, which only profile files/),
    });
    expect(await processor.begin(contextWith({ tags: ['a'], segment: 'Leads' }))).toMatchObject({
      failureReason: expect.stringContaining('names tags and segment'),
    });
    expect(await processor.begin(contextWith({ currency: 'GBP' }))).toEqual({ applied: {} });
  });
});
