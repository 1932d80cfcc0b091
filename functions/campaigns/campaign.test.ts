import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Campaign, campaignSchema } from './campaign';
import { campaignInputSchema } from './campaign-definition';

describe('the campaign schemas', () => {
  const stored: Campaign = {
    campaignId: 'cmp_spring1',
    name: 'Spring',
    segmentId: 'seg_lapsed',
    channel: 'email',
    kind: 'marketing',
    templateId: 'tpl_email',
    schedule: { type: 'recurring', cron: 'cron(0 10 ? * WED *)', timeZone: 'Europe/London' },
    quietHours: false,
    status: 'paused',
    version: 3,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
  };

  it('reads a stored campaign back unchanged, and refuses an unknown status', () => {
    expect(campaignSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    expect(campaignSchema.safeParse({ ...stored, status: 'running' }).success).toBe(false);
    expect(campaignSchema.safeParse({ ...stored, campaignId: 'spring' }).success).toBe(false);
  });

  it('are OpenAPI components: CampaignInput and Campaign, with the schedule as its own', () => {
    const json = z.toJSONSchema(z.object({ input: campaignInputSchema, stored: campaignSchema }), {
      io: 'input',
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as { $defs?: Record<string, { required?: string[] }> };
    expect(Object.keys(json.$defs ?? {})).toEqual(
      expect.arrayContaining(['CampaignInput', 'Campaign', 'CampaignSchedule']),
    );
    // kind has a default: a client may leave it out.
    expect(json.$defs?.['CampaignInput']?.required).toEqual(['name', 'segmentId', 'channel', 'schedule']);
  });
});
