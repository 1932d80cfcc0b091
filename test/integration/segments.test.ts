import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { lifecycleTierKeys, shardOf } from '../../functions/scoring-job/profile-scores';
import { api, documentClient, endpoints, keyWith, unique, uniquePhone } from './support';

/**
 * Segments over HTTP on the local stack: saved, changed and deleted with their references kept
 * true, and previews whose counts are exactly the profiles of this file's stage that the rule
 * selects (this file's stage holds no other profiles).
 */

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const granted = (source = 'web-form') => ({ status: 'granted', source, timestamp: daysAgo(100) });

const run = unique('seg');
const id = (name: string) => `${run}-${name}`;
const people = {
  visitor: {
    country: 'GB',
    email: `${run}-visitor@example.com`,
    tags: ['vip'],
    consent: { email: granted() },
  },
  texter: { country: 'GB', phone: uniquePhone(), consent: { sms: granted() } },
  french: { country: 'FR', email: `${run}-french@example.com` },
  gone: {
    country: 'GB',
    email: `${run}-gone@example.com`,
    consent: { email: { status: 'unsubscribed', source: 'one-click', timestamp: daysAgo(1) } },
  },
  lapsedGold: { email: `${run}-lapsed@example.com`, consent: { email: granted() } },
  activeGold: { email: `${run}-active@example.com` },
} as const;

/** Scores as a scoring run writes them: on the profile, with the byLifecycleTier index key. */
const score = async (profileId: string, lifecycle: string, valueTier: string) =>
  documentClient().send(
    new UpdateCommand({
      TableName: endpoints().tables.profiles,
      Key: { profileId },
      UpdateExpression: 'SET scores = :scores, scoreLifecycleTier = :key, scoreRank = :rank',
      ExpressionAttributeValues: {
        ':scores': { lifecycle, valueTier, churnBand: 'low', pAlive: 0.5 },
        ':key': lifecycleTierKeys(lifecycle, valueTier)[shardOf(profileId)],
        ':rank': '0000000000100',
      },
    }),
  );

const preview = async (rule: unknown) => {
  const res = await api('POST', '/segments/preview', { body: { rule } });
  expect(res.status, res.text).toBe(200);
  return res.json;
};

beforeAll(async () => {
  for (const [name, body] of Object.entries(people)) {
    const res = await api('PUT', `/profiles/${id(name)}`, { body });
    expect(res.status, res.text).toBe(201);
  }
  // Three visits in the last 30 days for the visitor, one long ago; one recent visit for the texter.
  const visits = [
    ...[2, 5, 9, 200].map((d, i) => ({ who: 'visitor', d, i })),
    { who: 'texter', d: 3, i: 9 },
  ].map(({ who, d, i }) => ({
    eventId: `${run}-visit-${who}-${i}`,
    profile: { profileId: id(who) },
    type: 'visit',
    timestamp: daysAgo(d),
  }));
  const res = await api('POST', '/events', { body: { events: visits } });
  expect(res.status, res.text).toBe(200);
  expect(res.json.accepted).toBe(5);
  await score(id('lapsedGold'), 'lapsed', 'gold');
  await score(id('activeGold'), 'active', 'gold');
});

describe('segment previews', () => {
  it('count exactly the profiles a rule selects, and how many each channel reaches', async () => {
    const result = await preview({ attribute: 'country', op: 'eq', value: 'GB' });
    expect(result).toMatchObject({
      count: 3,
      reachable: { email: 1, sms: 1, any: 2 },
      plan: 'scan',
    });
    expect([...result.sample].sort()).toEqual([id('gone'), id('texter'), id('visitor')]);
    expect(result.evaluatedInMs).toBeGreaterThanOrEqual(0);
  });

  it('answer event conditions from what customers did', async () => {
    const often = await preview({ event: 'visit', op: 'did', within: 'P30D', count: { gte: 2 } });
    expect(often).toMatchObject({ count: 1, sample: [id('visitor')] });
    const recently = await preview({ event: 'visit', op: 'did', within: 'P4D' });
    expect([...recently.sample].sort()).toEqual([id('texter'), id('visitor')]);
    const never = await preview({
      all: [
        { attribute: 'country', op: 'eq', value: 'GB' },
        { event: 'visit', op: 'didNot' },
      ],
    });
    expect(never).toMatchObject({ count: 1, sample: [id('gone')] });
  });

  it('read the score index when the rule pins lifecycle and tier', async () => {
    const lapsedGold = await preview({
      all: [
        { attribute: 'scores.lifecycle', op: 'eq', value: 'lapsed' },
        { attribute: 'scores.valueTier', op: 'eq', value: 'gold' },
      ],
    });
    expect(lapsedGold).toMatchObject({
      count: 1,
      sample: [id('lapsedGold')],
      plan: 'index:byLifecycleTier',
      reachable: { email: 1, sms: 0, any: 1 },
    });
    // The same audience through a scan (the tier alone does not pin an index).
    const gold = await preview({ attribute: 'scores.valueTier', op: 'eq', value: 'gold' });
    expect(gold).toMatchObject({ count: 2, plan: 'scan' });
  });

  it('leave suppressed addresses out of what a channel reaches', async () => {
    const rule = { attribute: 'country', op: 'eq', value: 'GB' };
    expect((await preview(rule)).reachable).toEqual({ email: 1, sms: 1, any: 2 });
    const res = await api('POST', '/suppressions', {
      body: { phone: people.texter.phone, reason: 'complaint' },
    });
    expect(res.status, res.text).toBe(201);
    expect(await preview(rule)).toMatchObject({ count: 3, reachable: { email: 1, sms: 0, any: 1 } });
    expect((await api('DELETE', `/suppressions/${encodeURIComponent(people.texter.phone)}`)).status).toBe(
      204,
    );
  });

  it('refuse a bad rule with the JSON path of each faulty node', async () => {
    const res = await api('POST', '/segments/preview', {
      body: {
        rule: {
          all: [
            { attribute: 'contry', op: 'eq', value: 'GB' },
            { event: 'visit', op: 'did', within: '30 days' },
          ],
        },
      },
    });
    expect(res.status).toBe(422);
    const paths = res.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('rule.all[0].attribute');
    expect(paths).toContain('rule.all[1].within');
    expect(JSON.stringify(res.json.error.details)).toContain('country');
  });
});

describe('saved segments', () => {
  it('are created, read, listed, previewed and replaced as new versions', async () => {
    const created = await api('POST', '/segments', {
      body: {
        name: `${run} UK`,
        description: 'UK customers',
        rule: { attribute: 'country', op: 'eq', value: 'GB' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const { segmentId } = created.json;
    expect(segmentId).toMatch(/^seg_/);
    expect(created.headers.get('location')).toBe(`/segments/${segmentId}`);
    expect(created.json).toMatchObject({ version: 1, usedBy: [], description: 'UK customers' });

    expect((await api('GET', `/segments/${segmentId}`)).json).toEqual(created.json);
    const list = await api('GET', '/segments');
    expect(list.json.items.map((s: { segmentId: string }) => s.segmentId)).toContain(segmentId);

    const saved = await api('GET', `/segments/${segmentId}/preview`);
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ segmentId, count: 3, reachable: { email: 1, sms: 1, any: 2 } });

    const replaced = await api('PUT', `/segments/${segmentId}`, {
      body: { name: `${run} UK`, rule: { attribute: 'tags', op: 'contains', value: 'vip' } },
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({ version: 2, createdAt: created.json.createdAt });
    expect(replaced.json.description).toBeUndefined();
    expect((await api('GET', `/segments/${segmentId}/preview`)).json).toMatchObject({
      count: 1,
      sample: [id('visitor')],
    });
  });

  it('keep their references: no cycle, no deleting a segment in use, unique names', async () => {
    const base = await api('POST', '/segments', {
      body: { name: `${run} base`, rule: { attribute: 'country', op: 'eq', value: 'GB' } },
    });
    const baseId = base.json.segmentId;
    const user = await api('POST', '/segments', {
      body: {
        name: `${run} base with email`,
        rule: { all: [{ segment: baseId }, { attribute: 'email', op: 'exists' }] },
      },
    });
    expect(user.status, user.text).toBe(201);
    const userId = user.json.segmentId;
    expect((await api('GET', `/segments/${baseId}`)).json.usedBy).toEqual([userId]);
    // Through the referring segment: visitor and gone have an email among the GB profiles.
    expect((await api('GET', `/segments/${userId}/preview`)).json.count).toBe(2);

    const cycle = await api('PUT', `/segments/${baseId}`, {
      body: { name: `${run} base`, rule: { segment: userId } },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.json.error.details[0].path).toBe('rule.segment');
    expect(cycle.json.error.details[0].message).toContain(baseId);

    const inUse = await api('DELETE', `/segments/${baseId}`);
    expect(inUse.status).toBe(409);
    expect(inUse.json.error.details).toEqual([{ path: 'usedBy', message: userId }]);

    const taken = await api('POST', '/segments', {
      body: { name: `${run} BASE`, rule: { attribute: 'country', op: 'eq', value: 'FR' } },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details).toEqual([
      { path: 'name', message: `already used by segment ${baseId}` },
    ]);

    const unknown = await api('POST', '/segments', {
      body: { name: `${run} dangling`, rule: { segment: 'seg_doesnotexist' } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.details[0].path).toBe('rule.segment');

    expect((await api('DELETE', `/segments/${userId}`)).status).toBe(204);
    expect((await api('GET', `/segments/${baseId}`)).json.usedBy).toEqual([]);
    expect((await api('DELETE', `/segments/${baseId}`)).status).toBe(204);
    expect((await api('GET', `/segments/${baseId}`)).status).toBe(404);
    // The name is free again.
    const again = await api('POST', '/segments', {
      body: { name: `${run} base`, rule: { attribute: 'country', op: 'eq', value: 'GB' } },
    });
    expect(again.status).toBe(201);
  });

  it('need the write scope to change and the read scope to see', async () => {
    const reader = await keyWith(['read']);
    const body = { name: `${run} by reader`, rule: { attribute: 'country', op: 'eq', value: 'GB' } };
    expect((await api('POST', '/segments', { body, key: reader })).status).toBe(403);
    expect((await api('POST', '/segments/preview', { body: { rule: body.rule }, key: reader })).status).toBe(
      200,
    );
    expect((await api('GET', '/segments', { key: null })).status).toBe(401);
  });
});
