import { describe, expect, it } from 'vitest';
import type { Segment } from '../segments/segment';
import { ConflictError, ValidationError } from '../shared/domain-errors';
import type { Template } from '../templates/template';
import type { StoredTemplate } from '../templates/template-store';
import type { Campaign } from './campaign';
import type { CampaignSchedules, CampaignTiming } from './campaign-schedules';
import { CampaignService } from './campaign-service';
import type { CampaignReferences, CampaignStore } from './campaign-store';
import { DEFAULT_FREQUENCY_CAPS } from './frequency-cap';
import { DEFAULT_QUIET_HOURS } from './quiet-hours';

const NOW = new Date('2026-12-02T09:00:00.000Z');

/** The campaigns and the usedBy of what they refer to, as the DynamoDB store keeps them. */
class MemoryCampaigns implements CampaignStore {
  readonly items = new Map<string, Campaign>();
  readonly usedBy = new Map<string, Set<string>>();
  constructor(private readonly exists: (id: string) => boolean) {}
  async get(id: string) {
    return this.items.get(id);
  }
  async list() {
    return [...this.items.values()];
  }
  private move(campaignId: string, refs: CampaignReferences, add: boolean) {
    for (const id of [...refs.segments, ...refs.templates]) {
      const set = this.usedBy.get(id) ?? new Set();
      if (add) set.add(campaignId);
      else set.delete(campaignId);
      this.usedBy.set(id, set);
    }
  }
  async create(c: Campaign, refs: CampaignReferences) {
    const missing = refs.templates.find((id) => !this.exists(id));
    if (missing) return { kind: 'missing-template' as const, templateId: missing };
    this.items.set(c.campaignId, c);
    this.move(c.campaignId, refs, true);
    return undefined;
  }
  async update(
    next: Campaign,
    previous: Campaign,
    refs: { added: CampaignReferences; removed: CampaignReferences },
  ) {
    if (this.items.get(next.campaignId)?.version !== previous.version) return { kind: 'changed' as const };
    this.items.set(next.campaignId, next);
    this.move(next.campaignId, refs.added, true);
    this.move(next.campaignId, refs.removed, false);
    return undefined;
  }
}

class MemorySchedules implements CampaignSchedules {
  readonly schedules = new Map<string, { timing: CampaignTiming; enabled: boolean }>();
  fail = false;
  async put(id: string, timing: CampaignTiming, options: { enabled: boolean }) {
    if (this.fail) throw new Error('Scheduler is down');
    this.schedules.set(id, { timing, enabled: options.enabled });
  }
  async remove(id: string) {
    this.schedules.delete(id);
  }
}

const segment = {
  segmentId: 'seg_1',
  name: 's',
  rule: { attribute: 'country', op: 'eq', value: 'GB' },
} as unknown as Segment;
const email = (
  templateId: string,
  html = '<a href="{{ unsubscribe_url }}">x</a> {{ offer.code }}',
): StoredTemplate =>
  ({
    templateId,
    name: templateId,
    channel: 'email',
    kind: 'marketing',
    subject: 'Hi',
    html,
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    usedBy: [],
  }) as Template & { usedBy: string[] };

const world = () => {
  const templates = new Map([
    ['tpl_a', email('tpl_a')],
    ['tpl_b', email('tpl_b', '<a href="{{ unsubscribe_url }}">plain</a>')],
  ]);
  const campaigns = new MemoryCampaigns((id) => templates.has(id));
  const schedules = new MemorySchedules();
  let n = 0;
  const service = new CampaignService({
    campaigns,
    segments: { get: async (id) => (id === 'seg_1' ? segment : undefined) },
    templates: { get: async (id) => templates.get(id) },
    schedules,
    globalFrequencyCap: DEFAULT_FREQUENCY_CAPS,
    defaultQuietHours: DEFAULT_QUIET_HOURS,
    now: () => NOW,
    newId: () => `cmp_${++n}`,
  });
  return { service, campaigns, schedules, templates };
};

const weekly = {
  name: 'Win-back',
  segmentId: 'seg_1',
  channel: 'email',
  templateId: 'tpl_a',
  offer: { prefix: 'BACK', validDays: 14 },
  controlGroup: { share: 0.1 },
  schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
};

describe('CampaignService', () => {
  it('creates a campaign with its schedule and its references, and shows the next firing', async () => {
    const { service, campaigns, schedules } = world();
    const campaign = await service.create(weekly);
    expect(campaign).toMatchObject({ campaignId: 'cmp_1', status: 'active', version: 1, kind: 'marketing' });
    expect(schedules.schedules.get('cmp_1')).toEqual({
      timing: { expression: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
      enabled: true,
    });
    expect([...campaigns.usedBy.get('seg_1')!]).toEqual(['cmp_1']);
    expect([...campaigns.usedBy.get('tpl_a')!]).toEqual(['cmp_1']);
    // Wednesday 2026-12-02 at 10:00 London (GMT) is 10:00Z, after 09:00Z.
    expect(service.view(campaign).nextFiringAt).toBe('2026-12-02T10:00:00.000Z');
  });

  it('refuses a definition naming what does not exist, and schedules nothing', async () => {
    const { service, schedules } = world();
    const error = await service
      .create({ ...weekly, segmentId: 'seg_x', templateId: 'tpl_x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['segmentId', 'templateId']));
    expect(schedules.schedules.size).toBe(0);
  });

  it('refuses a template that reads offer.code on a campaign without an offer', async () => {
    const { service } = world();
    const { offer: _offer, ...noOffer } = weekly;
    await expect(service.create(noOffer)).rejects.toBeInstanceOf(ValidationError);
    await expect(service.create({ ...noOffer, templateId: 'tpl_b' })).resolves.toMatchObject({
      status: 'active',
    });
  });

  it('moves references on update, and pauses, resumes and cancels with the schedule', async () => {
    const { service, campaigns, schedules } = world();
    await service.create(weekly);
    const updated = await service.update('cmp_1', { ...weekly, templateId: 'tpl_b' });
    expect(updated.version).toBe(2);
    expect([...campaigns.usedBy.get('tpl_a')!]).toEqual([]);
    expect([...campaigns.usedBy.get('tpl_b')!]).toEqual(['cmp_1']);

    const paused = await service.act('cmp_1', 'pause');
    expect(paused).toMatchObject({ status: 'paused', version: 3 });
    expect(schedules.schedules.get('cmp_1')?.enabled).toBe(false);
    expect(service.view(paused).nextFiringAt).toBeUndefined();
    // Pausing again is no conflict and changes nothing.
    expect(await service.act('cmp_1', 'pause')).toMatchObject({ status: 'paused', version: 3 });
    expect(await service.act('cmp_1', 'resume')).toMatchObject({ status: 'active', version: 4 });
    expect(schedules.schedules.get('cmp_1')?.enabled).toBe(true);

    const cancelled = await service.act('cmp_1', 'cancel');
    expect(cancelled.status).toBe('cancelled');
    expect(schedules.schedules.has('cmp_1')).toBe(false);
    expect([...campaigns.usedBy.get('seg_1')!]).toEqual([]);
    expect([...campaigns.usedBy.get('tpl_b')!]).toEqual([]);
    await expect(service.act('cmp_1', 'resume')).rejects.toBeInstanceOf(ConflictError);
    await expect(service.update('cmp_1', weekly)).rejects.toBeInstanceOf(ConflictError);
  });

  it('saves no campaign when Scheduler refuses its schedule', async () => {
    const { service, campaigns, schedules } = world();
    schedules.fail = true;
    await expect(service.create(weekly)).rejects.toThrow('Scheduler is down');
    expect(campaigns.items.size).toBe(0);
  });

  it('needs no schedule for a manual campaign, and removes one when a campaign becomes manual', async () => {
    const { service, schedules } = world();
    await service.create(weekly);
    await service.update('cmp_1', { ...weekly, schedule: { type: 'manual' } });
    expect(schedules.schedules.has('cmp_1')).toBe(false);
  });
});
