import { describe, expect, it } from 'vitest';
import type { Segment, SegmentInput } from '../segments/segment';
import { ConflictError, NotFoundError } from '../shared/domain-errors';
import type { Template, TemplateInput } from '../templates/template';
import type { Campaign } from './campaign';
import {
  SEEDED_WIN_BACK,
  type SeedDeps,
  type SeedMarker,
  type SeedStatus,
  seedWinBack,
} from './seed-win-back';
import type { WinBackSettings } from './win-back-preset';

const settings: WinBackSettings = {
  lapsedDays: 180,
  cooldownDays: 30,
  valueTiers: ['gold', 'key', 'quality', 'general'],
  minValueTier: 'general',
  subject: 'We miss you, {{firstName}}',
  offer: 'Take 20% off.',
  cron: 'cron(0 10 ? * WED *)',
  timeZone: 'Europe/London',
};

/**
 * The stores the seed writes, in memory, each write a step that may crash (throw) before it takes
 * effect: `crashAt` counts writes from 1.
 */
const world = (status: SeedStatus = 'active', crashAt?: number) => {
  const segments = new Map<string, Segment>();
  const templates = new Map<string, Template>();
  const campaigns = new Map<string, Campaign>();
  let marker: SeedMarker | undefined;
  let writes = 0;
  const write = (what: string) => {
    writes++;
    if (writes === crashAt) throw new Error(`crash before ${what}`);
  };
  const missing = (what: string) => new NotFoundError(`no ${what}`);
  const at = '2026-12-02T10:00:00.000Z';
  const deps: SeedDeps = {
    settings,
    status,
    now: () => new Date(at),
    segments: {
      get: async (id) => segments.get(id) ?? Promise.reject(missing(id)),
      create: async (input: SegmentInput, id) => {
        write('segment');
        if (segments.has(id)) throw new ConflictError('taken');
        const s = {
          ...input,
          segmentId: id,
          version: 1,
          createdAt: at,
          updatedAt: at,
          usedBy: [],
        } as Segment;
        segments.set(id, s);
        return s;
      },
      update: async (id, input) => {
        write('segment update');
        const s = { ...segments.get(id)!, ...input, version: segments.get(id)!.version + 1 } as Segment;
        segments.set(id, s);
        return s;
      },
      delete: async (id) => {
        segments.delete(id);
      },
    },
    templates: {
      get: async (id) => templates.get(id) ?? Promise.reject(missing(id)),
      create: async (input: TemplateInput, id) => {
        write(`template ${input.channel}`);
        if (templates.has(id)) throw new ConflictError('taken');
        const t = { ...input, templateId: id, version: 1, createdAt: at, updatedAt: at } as Template;
        templates.set(id, t);
        return { template: t };
      },
      delete: async (id) => {
        templates.delete(id);
      },
    },
    campaigns: {
      get: async (id) => campaigns.get(id) ?? Promise.reject(missing(id)),
      create: async (input, id) => {
        write('campaign');
        if (campaigns.has(id)) throw new ConflictError('taken');
        const c = {
          ...(input as object),
          campaignId: id,
          status: 'active',
          version: 1,
          createdAt: at,
          updatedAt: at,
        } as Campaign;
        campaigns.set(id, c);
        return c;
      },
      act: async (id) => {
        write('pause');
        const c = { ...campaigns.get(id)!, status: 'paused' as const };
        campaigns.set(id, c);
        return c;
      },
    },
    markers: {
      get: async () => marker,
      put: async (m) => {
        write('marker');
        if (marker) throw new ConflictError('seeded');
        marker = m;
      },
    },
  };
  const state = () => ({
    segments: [...segments.values()].map((s) => [s.segmentId, s.name, JSON.stringify(s.rule)]),
    templates: [...templates.keys()].sort(),
    campaigns: [...campaigns.values()].map((c) => [c.campaignId, c.status, c.segmentId]),
    marker,
  });
  return { deps, state, writes: () => writes };
};

describe('seeding the win-back on the first deployment', () => {
  it('makes the preset’s segment, templates and campaign under their natural keys, then the marker', async () => {
    const w = world();
    const result = await seedWinBack(w.deps);
    expect(result.outcome).toBe('created');
    const state = w.state();
    expect(state.campaigns).toEqual([[SEEDED_WIN_BACK.campaignId, 'active', SEEDED_WIN_BACK.segmentId]]);
    expect(state.templates).toEqual([SEEDED_WIN_BACK.emailTemplateId, SEEDED_WIN_BACK.smsTemplateId].sort());
    // The segment's cooldown names the campaign it was made for.
    expect(state.segments[0]?.[2]).toContain(SEEDED_WIN_BACK.campaignId);
    expect(state.marker).toMatchObject({ campaignId: SEEDED_WIN_BACK.campaignId, status: 'active' });
  });

  it('does nothing once seeded, even when what it made was cancelled or deleted since', async () => {
    const w = world();
    await seedWinBack(w.deps);
    const writes = w.writes();
    await w.deps.segments.delete(SEEDED_WIN_BACK.segmentId);
    const again = await seedWinBack(w.deps);
    expect(again.outcome).toBe('already-seeded');
    expect(w.writes()).toBe(writes);
    expect(w.state().segments).toEqual([]);
  });

  it('creates it paused, or not at all, as the setting says', async () => {
    const paused = world('paused');
    await seedWinBack(paused.deps);
    expect(paused.state().campaigns[0]?.[1]).toBe('paused');
    const none = world('none');
    expect((await seedWinBack(none.deps)).outcome).toBe('none');
    expect(none.state()).toMatchObject({
      campaigns: [],
      templates: [],
      segments: [],
      marker: { status: 'none' },
    });
  });

  it('ends as if nothing had crashed when any write crashes and the hook runs again', async () => {
    const clean = world('paused');
    await seedWinBack(clean.deps);
    const expected = clean.state();
    for (let crashAt = 1; crashAt <= clean.writes(); crashAt++) {
      const w = world('paused', crashAt);
      await expect(seedWinBack(w.deps), `crash at write ${crashAt}`).rejects.toThrow(/crash/);
      await seedWinBack(w.deps);
      expect(w.state(), `crash at write ${crashAt}`).toEqual(expected);
    }
  });
});
