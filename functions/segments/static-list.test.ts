import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tagSchema } from '../profiles/profile';
import { evaluateSegmentRule } from './evaluate-segment-rule';
import { parseSegmentRule } from './parse-segment-rule';
import type { Segment } from './segment';
import type { SegmentStore, SegmentWriteRefusal } from './segment-store';
import { ensureStaticList, staticListRule, staticListTag } from './static-list';

/** Segments in memory, with the store's one refusal that matters here: a name taken (any case). */
class Segments implements Pick<SegmentStore, 'list' | 'get' | 'create'> {
  readonly items = new Map<string, Segment>();
  /** Runs just before a create's write: lets a test create a rival first (a race). */
  beforeCreate?: () => void;
  async list() {
    return [...this.items.values()];
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async create(segment: Segment): Promise<SegmentWriteRefusal | undefined> {
    this.beforeCreate?.();
    const taken = [...this.items.values()].find((s) => s.name.toLowerCase() === segment.name.toLowerCase());
    if (taken) return { kind: 'name-taken', segmentId: taken.segmentId };
    this.items.set(segment.segmentId, segment);
    return undefined;
  }
}

const segmentOf = (segmentId: string, name: string, rule: Segment['rule']): Segment => ({
  segmentId,
  name,
  rule,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  usedBy: [],
});

let ids = 0;
const deps = (store: Segments) => ({
  store,
  newId: () => `seg_t${ids++}`,
  now: () => new Date('2026-04-01T10:00:00Z'),
});

describe('staticListTag', () => {
  it('is list: and a lower-case slug of the name with a stable hash suffix', () => {
    const tag = staticListTag('Spring fair leads');
    expect(tag).toMatch(/^list:spring-fair-leads-[0-9a-f]{10}$/);
    expect(staticListTag('Spring fair leads')).toBe(tag);
    expect(staticListTag('Café Crème 2026!')).toMatch(/^list:cafe-creme-2026-[0-9a-f]{10}$/);
    expect(staticListTag('春季会员')).toMatch(/^list:[0-9a-f]{10}$/);
  });

  it('tells apart names that slug alike, but not names the segment store takes for one', () => {
    expect(staticListTag('Spring fair!')).not.toBe(staticListTag('Spring fair?'));
    expect(staticListTag('春季会员')).not.toBe(staticListTag('秋季会员'));
    expect(staticListTag('Spring Fair')).toBe(staticListTag('spring fair'));
  });

  it('is always a valid profile tag of a-z0-9- after list: (any segment name up to 100 characters)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100, unit: 'binary' }), (name) => {
        const tag = staticListTag(name);
        expect(tag).toMatch(/^list:([a-z0-9]+(-[a-z0-9]+)*-)?[0-9a-f]{10}$/);
        expect(tagSchema.parse(tag)).toBe(tag);
      }),
    );
  });
});

describe('staticListRule', () => {
  it('is a rule a user could save, selecting exactly the profiles with the tag', () => {
    const parsed = parseSegmentRule(staticListRule('Spring fair leads'), { segments: new Map() });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rule).toEqual({
      attribute: 'tags',
      op: 'contains',
      value: staticListTag('Spring fair leads'),
    });
    const member = (tags: string[]) =>
      evaluateSegmentRule(
        parsed.rule,
        { profile: { profileId: 'p', tags } },
        { now: new Date(), segments: new Map() },
      );
    expect(member(['vip', staticListTag('Spring fair leads')])).toBe(true);
    expect(member(['vip', staticListTag('Spring fair')])).toBe(false);
    expect(member([])).toBe(false);
  });
});

describe('ensureStaticList', () => {
  it('creates the segment once: a repeated call (a resumed import) reuses it', async () => {
    const store = new Segments();
    const first = await ensureStaticList(deps(store), 'Spring fair leads', 'Static list from imports/a.csv');
    expect(first).toMatchObject({
      created: true,
      segment: {
        name: 'Spring fair leads',
        description: 'Static list from imports/a.csv',
        rule: staticListRule('Spring fair leads'),
        version: 1,
        createdAt: '2026-04-01T10:00:00.000Z',
      },
    });
    const again = await ensureStaticList(deps(store), 'spring FAIR leads', 'Static list from imports/b.csv');
    expect(again).toEqual({ created: false, segment: 'segment' in first ? first.segment : undefined });
    expect(store.items.size).toBe(1);
  });

  it('reuses a static list whose rule was stored in another key order', async () => {
    const store = new Segments();
    const { value } = staticListRule('Leads');
    store.items.set('seg_x', segmentOf('seg_x', 'Leads', { value, op: 'contains', attribute: 'tags' }));
    expect(await ensureStaticList(deps(store), 'Leads', 'd')).toMatchObject({
      created: false,
      segment: { segmentId: 'seg_x' },
    });
  });

  it('refuses a name whose segment has another rule, changing nothing', async () => {
    const store = new Segments();
    store.items.set(
      'seg_vip',
      segmentOf('seg_vip', 'VIP', { attribute: 'tags', op: 'contains', value: 'vip' }),
    );
    expect(await ensureStaticList(deps(store), 'vip', 'd')).toEqual({
      refused: 'segment "vip" exists and is not a static list',
    });
    expect(store.items.size).toBe(1);
  });

  it('refuses a name whose list tag a renamed static list still holds', async () => {
    const store = new Segments();
    store.items.set('seg_old', segmentOf('seg_old', 'Autumn', staticListRule('Spring')));
    const outcome = await ensureStaticList(deps(store), 'Spring', 'd');
    expect(outcome).toMatchObject({ refused: expect.stringContaining('seg_old ("Autumn")') });
    expect(store.items.size).toBe(1);
  });

  it('losing a race for the name reuses the winner, or refuses if the winner is no static list', async () => {
    const store = new Segments();
    store.beforeCreate = () => {
      store.beforeCreate = undefined;
      store.items.set('seg_win', segmentOf('seg_win', 'Leads', staticListRule('Leads')));
    };
    expect(await ensureStaticList(deps(store), 'Leads', 'd')).toMatchObject({
      created: false,
      segment: { segmentId: 'seg_win' },
    });
    expect(store.items.size).toBe(1);

    const other = new Segments();
    other.beforeCreate = () => {
      other.beforeCreate = undefined;
      other.items.set(
        'seg_rule',
        segmentOf('seg_rule', 'Leads', { attribute: 'country', op: 'eq', value: 'GB' }),
      );
    };
    expect(await ensureStaticList(deps(other), 'Leads', 'd')).toEqual({
      refused: 'segment "Leads" exists and is not a static list',
    });
  });
});
