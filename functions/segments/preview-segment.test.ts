import { describe, expect, it } from 'vitest';
import type { AudienceReader } from './audience-reader';
import type { SegmentPlan } from './plan-segment-rule';
import { previewSegment } from './preview-segment';
import { ReachabilityTally } from './reachability-tally';
import type { ProfileItem } from './segment-fields';
import type { SegmentRule } from './segment-rule';

// The preview's reachability with both ways of knowing who is suppressed: a scan plan reads the
// whole list, an index plan looks addresses up; both must give the same counts.

const consent = (email: boolean, sms: boolean) => ({
  ...(email ? { email: { status: 'granted' } } : { email: { status: 'unsubscribed' } }),
  ...(sms ? { sms: { status: 'granted' } } : {}),
});

/** 60 profiles over 3 pages: every third has a phone, every fourth unsubscribed email, tags for the rule. */
const people: ProfileItem[] = Array.from({ length: 60 }, (_, i) => ({
  profileId: `p${i}`,
  email: `p${i}@example.com`,
  ...(i % 3 === 0 ? { phone: `+4470000000${String(i).padStart(2, '0')}` } : {}),
  consent: consent(i % 4 !== 0, i % 3 === 0),
  tags: i % 5 === 0 ? ['vip'] : ['all'],
  scores: { lifecycle: 'lapsed', valueTier: 'gold' },
}));
const suppressedKeys = new Set([
  'email#p1@example.com', // reached by email only: out
  'email#p3@example.com', // also by phone: still reached
  'sms#+447000000003',
  'sms#+447000000006', // email as well: still reached
  'email#p9@example.com',
  'sms#+447000000009', // both: out
  'email#nobody@example.com',
]);

const reader = (pages: ProfileItem[][], plans: SegmentPlan[]): AudienceReader => ({
  read: async (plan, _attributes, onPage) => {
    plans.push(plan);
    // Pages side by side, as a parallel scan's segments hand them on.
    await Promise.all(pages.map((page) => onPage(page)));
  },
  readResumable: async () => [],
});
const pages = [people.slice(0, 20), people.slice(20, 40), people.slice(40)];

const lookups = () => {
  const asked: string[] = [];
  const suppressedOf = async (addresses: readonly { channel: 'email' | 'sms'; address: string }[]) => {
    asked.push(...addresses.map((a) => `${a.channel}#${a.address}`));
    return new Set(asked.filter((k) => suppressedKeys.has(k)));
  };
  return { asked, suppressedOf };
};

/** What the rule should count, worked out profile by profile. */
const expected = (selected: (p: ProfileItem) => boolean) => {
  let email = 0;
  let sms = 0;
  let any = 0;
  for (const p of people.filter(selected)) {
    const c = p.consent as ReturnType<typeof consent>;
    const e = c.email.status === 'granted' && !suppressedKeys.has(`email#${p.email}`);
    const t = p.phone !== undefined && c.sms?.status === 'granted' && !suppressedKeys.has(`sms#${p.phone}`);
    if (e) email++;
    if (t) sms++;
    if (e || t) any++;
  }
  return { email, sms, any };
};

const scanRule: SegmentRule = { attribute: 'tags', op: 'contains', value: 'all' };
const indexRule: SegmentRule = {
  all: [
    { attribute: 'scores.lifecycle', op: 'eq', value: 'lapsed' },
    { attribute: 'scores.valueTier', op: 'eq', value: 'gold' },
  ],
};

describe('previewSegment reachability', () => {
  it('checks a scan against the whole suppression list, read once, with the counts lookups give', async () => {
    const plans: SegmentPlan[] = [];
    const viaLookups = lookups();
    const byLookup = await previewSegment(
      { audience: reader(pages, plans), suppressedOf: viaLookups.suppressedOf },
      scanRule,
      new Map(),
    );
    const listed: number[] = [];
    const looked = lookups();
    const byList = await previewSegment(
      {
        audience: reader(pages, plans),
        suppressedOf: looked.suppressedOf,
        suppressionList: async (limit) => {
          listed.push(limit);
          return suppressedKeys;
        },
      },
      scanRule,
      new Map(),
    );
    expect(plans.map((p) => p.kind)).toEqual(['scan', 'scan']);
    expect(byList.reachable).toEqual(expected((p) => (p.tags as string[]).includes('all')));
    expect(byList.reachable).toEqual(byLookup.reachable);
    expect(byList.count).toBe(48);
    expect(byList.sample).toEqual(byLookup.sample);
    expect(listed).toHaveLength(1);
    expect(looked.asked).toEqual([]);
  });

  it('holds pages that arrive before the list is read, and counts them once it is', async () => {
    let release: (list: ReadonlySet<string>) => void = () => undefined;
    const list = new Promise<ReadonlySet<string>>((resolve) => {
      release = resolve;
    });
    const plans: SegmentPlan[] = [];
    const preview = previewSegment(
      { audience: reader(pages, plans), suppressionList: () => list },
      scanRule,
      new Map(),
    );
    await new Promise((r) => setTimeout(r, 10));
    release(suppressedKeys);
    expect((await preview).reachable).toEqual(expected((p) => (p.tags as string[]).includes('all')));
  });

  it('looks up the addresses of an index read and never reads the whole list', async () => {
    const plans: SegmentPlan[] = [];
    const looked = lookups();
    let listed = 0;
    const preview = await previewSegment(
      {
        audience: reader(pages, plans),
        suppressedOf: looked.suppressedOf,
        suppressionList: async () => {
          listed++;
          return suppressedKeys;
        },
      },
      indexRule,
      new Map(),
    );
    expect(plans[0]?.kind).toBe('index');
    expect(preview.reachable).toEqual(expected(() => true));
    expect(listed).toBe(0);
    expect(looked.asked.length).toBeGreaterThan(0);
  });

  it('counts nothing as suppressed when neither is given', async () => {
    const preview = await previewSegment({ audience: reader(pages, []) }, scanRule, new Map());
    expect(preview.reachable.email).toBe(
      people.filter(
        (p) => (p.tags as string[]).includes('all') && Number(String(p.profileId).slice(1)) % 4 !== 0,
      ).length,
    );
  });
});

describe('ReachabilityTally', () => {
  // What consent reaches of each profile, as the preview hands it on.
  const reach = people.map((p) => {
    const c = p.consent as ReturnType<typeof consent>;
    return {
      ...(c.email.status === 'granted' ? { email: p.email as string } : {}),
      ...(c.sms ? { sms: p.phone as string } : {}),
    };
  });

  const counts = (t: ReachabilityTally) => ({ email: t.email, sms: t.sms, any: t.any });

  it('falls back to lookups, pending pages too, when the list is longer than its limit', async () => {
    const listed = new ReachabilityTally(undefined, async () => suppressedKeys);
    await listed.add(reach);
    await listed.done();
    const looked = lookups();
    const refused = new ReachabilityTally(
      looked.suppressedOf,
      async (limit) => (suppressedKeys.size > limit ? undefined : suppressedKeys),
      3,
    );
    await Promise.all([refused.add(reach.slice(0, 30)), refused.add(reach.slice(30))]);
    await refused.done();
    expect(counts(refused)).toEqual(counts(listed));
    expect(counts(listed)).toEqual(expected(() => true));
    // Every address looked up once: both pages waited for the list, then went to lookups.
    expect(looked.asked).toHaveLength(
      reach.filter((r) => r.email).length + reach.filter((r) => r.sms).length,
    );
  });

  it('fails the count when the list cannot be read', async () => {
    const tally = new ReachabilityTally(undefined, async () => {
      throw new Error('scan refused');
    });
    await tally.add(reach);
    await expect(tally.done()).rejects.toThrow('scan refused');
  });
});
