import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { api, documentClient, endpoints, eventually, keyWith, s3, unique } from './support';

const at = (iso: string) => new Date(iso).toISOString();
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const FUTURE_PURCHASE =
  'is in the future: purchases and refunds must have happened (5 minutes of clock skew are allowed)';

const purchase = (
  eventId: string,
  profile: Record<string, string>,
  timestamp: string,
  properties: Record<string, unknown>,
) => ({ eventId, profile, type: 'purchase', timestamp, properties: { currency: 'USD', ...properties } });

const eventsOf = async (profileId: string) =>
  (
    await documentClient().send(
      new QueryCommand({
        TableName: endpoints().tables.events,
        KeyConditionExpression: 'profileId = :p',
        ExpressionAttributeValues: { ':p': profileId },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const post = (events: unknown[]) => api('POST', '/events', { body: { events } });

describe('POST /events', () => {
  it('records the valid events of a mixed batch and reports every bad one with its reasons', async () => {
    const known = unique('known');
    expect((await api('PUT', `/profiles/${known}`, { body: { firstName: 'Kim' } })).status).toBe(201);
    const ext = unique('ext');
    const id = (n: number) => `${ext}-e${n}`;
    const batch = [
      purchase(id(0), { externalId: ext }, '2026-01-10T10:00:00Z', { orderId: 'o1', amount: 12.5 }),
      { profile: { externalId: ext }, type: 'visit', timestamp: '2026-01-10T10:00:00Z' },
      purchase(id(2), { externalId: ext }, inMinutes(30), { orderId: 'o2', amount: 1 }),
      purchase(id(3), { externalId: ext }, '2026-01-10T11:00:00Z', {
        orderId: 'o3',
        amount: 3,
        currency: 'EUR',
      }),
      {
        eventId: id(4),
        profile: { profileId: unique('nobody') },
        type: 'visit',
        timestamp: '2026-01-10T12:00:00Z',
      },
      {
        eventId: id(5),
        profile: { externalId: ext },
        type: 'purchase',
        timestamp: '2026-01-10T12:00:00Z',
        properties: { amount: 2, currency: 'USD' },
      },
      {
        eventId: id(6),
        profile: { profileId: known },
        type: 'visit',
        timestamp: '2026-01-11T09:00:00Z',
        properties: { page: '/cds' },
      },
      {
        eventId: id(7),
        profile: { externalId: ext, email: 'two@example.com' },
        type: 'visit',
        timestamp: '2026-01-10T12:00:00Z',
      },
      {
        eventId: id(8),
        profile: { email: 'not-an-email' },
        type: 'signup',
        timestamp: '2026-01-10T12:00:00Z',
      },
      {
        eventId: id(9),
        profile: { profileId: known },
        type: 'service',
        timestamp: '2026-01-11T10:00:00Z',
        properties: { kind: 'complaint', note: 'late' },
      },
      {
        eventId: id(10),
        profile: { profileId: known },
        type: 'service',
        timestamp: '2026-01-11T10:00:00Z',
        properties: { kind: 'praise' },
      },
      { ...purchase(id(0), { externalId: ext }, '2026-01-10T10:00:00Z', { orderId: 'o1', amount: 12.5 }) },
      { eventId: id(12), profile: { externalId: ext }, type: 'Visit!', timestamp: '2026-01-10 10:00' },
    ];
    const res = await post(batch);
    expect(res.status).toBe(200);
    const profileId = res.json.results[0].profileId;
    expect(typeof profileId).toBe('string');
    expect(res.json).toEqual({
      accepted: 3,
      duplicates: 1,
      rejected: 9,
      results: [
        { index: 0, eventId: id(0), status: 'accepted', profileId },
        { index: 1, status: 'rejected', errors: [{ path: 'eventId', message: expect.any(String) }] },
        {
          index: 2,
          eventId: id(2),
          status: 'rejected',
          errors: [{ path: 'timestamp', message: FUTURE_PURCHASE }],
        },
        {
          index: 3,
          eventId: id(3),
          status: 'rejected',
          errors: [
            {
              path: 'properties.currency',
              message: 'EUR has no rate to the base currency USD (setting currencyRates)',
            },
          ],
        },
        {
          index: 4,
          eventId: id(4),
          status: 'rejected',
          errors: [{ path: 'profile.profileId', message: 'no profile has this id' }],
        },
        {
          index: 5,
          eventId: id(5),
          status: 'rejected',
          errors: [{ path: 'properties.orderId', message: expect.any(String) }],
        },
        { index: 6, eventId: id(6), status: 'accepted', profileId: known },
        {
          index: 7,
          eventId: id(7),
          status: 'rejected',
          errors: [{ path: 'profile', message: 'give exactly one of profileId, externalId, email or phone' }],
        },
        {
          index: 8,
          eventId: id(8),
          status: 'rejected',
          errors: [{ path: 'profile.email', message: 'is not a valid email address' }],
        },
        { index: 9, eventId: id(9), status: 'accepted', profileId: known },
        {
          index: 10,
          eventId: id(10),
          status: 'rejected',
          errors: [{ path: 'properties.kind', message: expect.any(String) }],
        },
        { index: 11, eventId: id(0), status: 'duplicate', profileId },
        {
          index: 12,
          eventId: id(12),
          status: 'rejected',
          errors: [
            { path: 'type', message: 'must be lower-case, e.g. purchase, visit or a custom type' },
            { path: 'timestamp', message: 'must be an ISO 8601 date-time with a time zone' },
          ],
        },
      ],
    });
    expect((await eventsOf(profileId)).map((e) => e.eventId)).toEqual([id(0)]);
    expect((await eventsOf(known)).map((e) => e.eventId).sort()).toEqual([id(6), id(9)].sort());
    const kim = (await api('GET', `/profiles/${known}`)).json;
    expect(kim).toMatchObject({ version: 1, firstName: 'Kim', lastActivityAt: at('2026-01-11T10:00:00Z') });
    expect(kim.purchases).toBeUndefined();
    expect(kim.lastPurchaseAt).toBeUndefined();
  });

  it('is idempotent: the same batch again is all duplicates and changes no aggregate', async () => {
    const ext = unique('idem');
    const batch = [
      purchase(`${ext}-1`, { externalId: ext }, '2026-02-01T10:00:00Z', { orderId: 'A', amount: 20 }),
      purchase(`${ext}-2`, { externalId: ext }, '2026-02-03T10:00:00Z', { orderId: 'B', amount: 5.25 }),
      { eventId: `${ext}-3`, profile: { externalId: ext }, type: 'visit', timestamp: '2026-02-04T10:00:00Z' },
    ];
    const first = await post(batch);
    expect(first.json).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    const profileId = first.json.results[0].profileId;
    const before = (await api('GET', `/profiles/${profileId}`)).json;
    expect(before.purchases).toMatchObject({ totalSpend: 25.25, occasions: 2, eventCount: 2 });

    const again = await post(batch);
    expect(again.json).toEqual({
      accepted: 0,
      duplicates: 3,
      rejected: 0,
      results: batch.map((e, index) => ({ index, eventId: e.eventId, status: 'duplicate', profileId })),
    });
    expect((await api('GET', `/profiles/${profileId}`)).json).toEqual(before);
    expect(await eventsOf(profileId)).toHaveLength(3);
  });

  it('creates a minimal profile for an identifier no profile has, with provenance "event"', async () => {
    const email = `${unique('new')}@Example.com`;
    const res = await post([
      {
        eventId: unique('signup'),
        profile: { email },
        type: 'signup',
        timestamp: '2026-03-01T08:00:00+01:00',
      },
    ]);
    expect(res.json).toMatchObject({ accepted: 1, rejected: 0 });
    const { profileId } = res.json.results[0];
    const found = await api('GET', `/profiles?email=${encodeURIComponent(email)}`);
    expect(found.json.items.map((p: { profileId: string }) => p.profileId)).toEqual([profileId]);
    const profile = (await api('GET', `/profiles/${profileId}`)).json;
    expect(profile).toMatchObject({
      profileId,
      email: email.toLowerCase(),
      version: 1,
      provenance: { kind: 'internal', source: 'event' },
      lastActivityAt: '2026-03-01T07:00:00.000Z',
    });
    expect(profile.firstName).toBeUndefined();

    // The same person by another spelling is the same profile, not a second one.
    const again = await post([
      {
        eventId: unique('visit'),
        profile: { email: email.toUpperCase() },
        type: 'visit',
        timestamp: '2026-03-02T08:00:00Z',
      },
    ]);
    expect(again.json.results[0].profileId).toBe(profileId);
  });

  it('keeps purchase aggregates exact through order lines, a second order on one day and a refund', async () => {
    const ext = unique('agg');
    const ref = { externalId: ext };
    const send = async (events: unknown[]) => {
      const res = await post(events);
      expect(res.status).toBe(200);
      expect(res.json.rejected).toBe(0);
      return res.json.results[0].profileId as string;
    };
    const profileId = await send([
      purchase(`${ext}-1`, ref, '2026-04-01T09:00:00Z', {
        orderId: 'A',
        amount: 30,
        items: [{ sku: 'cd-1', category: 'cd', quantity: 2, price: 15 }],
      }),
    ]);
    const read = async () => (await api('GET', `/profiles/${profileId}`)).json;
    expect((await read()).purchases).toEqual({
      currency: 'USD',
      eventCount: 1,
      orders: 1,
      occasions: 1,
      totalSpend: 30,
      averageSpend: 30,
      refunds: 0,
      refundedAmount: 0,
      firstPurchaseAt: '2026-04-01T09:00:00.000Z',
      lastPurchaseAt: '2026-04-01T09:00:00.000Z',
      categories: { cd: { spend: 30, count: 1 } },
    });

    // A second line of the same order, a second order the same UTC day, an order two days later.
    await send([
      purchase(`${ext}-2`, ref, '2026-04-01T09:00:05Z', {
        orderId: 'A',
        amount: 9.99,
        items: [{ sku: 'dvd-1', category: 'dvd', quantity: 1, price: 9.99 }],
      }),
      purchase(`${ext}-3`, ref, '2026-04-01T22:00:00Z', { orderId: 'B', amount: 0.01 }),
      purchase(`${ext}-4`, ref, '2026-04-03T12:00:00+02:00', {
        orderId: 'C',
        amount: 20,
        items: [{ sku: 'cd-2', category: 'cd', quantity: 1, price: 20 }],
      }),
    ]);
    let profile = await read();
    expect(profile.purchases).toMatchObject({
      eventCount: 4,
      orders: 3,
      occasions: 2,
      totalSpend: 60,
      averageSpend: 30,
      firstPurchaseAt: '2026-04-01T09:00:00.000Z',
      lastPurchaseAt: '2026-04-03T10:00:00.000Z',
      categories: { cd: { spend: 50, count: 2 }, dvd: { spend: 9.99, count: 1 } },
    });
    expect(profile).toMatchObject({
      version: 1,
      lastPurchaseAt: '2026-04-03T10:00:00.000Z',
      lastActivityAt: '2026-04-03T10:00:00.000Z',
    });

    // Order C refunded in full: its occasion and category count go, the spend falls by 20.
    await send([
      {
        eventId: `${ext}-5`,
        profile: ref,
        type: 'refund',
        timestamp: '2026-04-05T08:00:00Z',
        properties: { orderId: 'C', amount: 20, currency: 'USD' },
      },
    ]);
    profile = await read();
    expect(profile.purchases).toMatchObject({
      eventCount: 5,
      orders: 2,
      occasions: 1,
      totalSpend: 40,
      averageSpend: 40,
      refunds: 1,
      refundedAmount: 20,
      lastPurchaseAt: '2026-04-01T22:00:00.000Z',
      categories: { cd: { spend: 30, count: 1 }, dvd: { spend: 9.99, count: 1 } },
    });
    // The profile's own last purchase never moves back; its activity moves on with the refund.
    expect(profile).toMatchObject({
      version: 1,
      lastPurchaseAt: '2026-04-03T10:00:00.000Z',
      lastActivityAt: '2026-04-05T08:00:00.000Z',
    });
  });

  it('refuses a future purchase and refund with field and reason, records the rest, and leaves the aggregates as the recorded events make them', async () => {
    const ext = unique('future');
    const ref = { externalId: ext };
    const first = await post([
      purchase(`${ext}-1`, ref, '2026-02-01T10:00:00Z', { orderId: 'A', amount: 20 }),
    ]);
    expect(first.json).toMatchObject({ accepted: 1, rejected: 0 });
    const profileId = first.json.results[0].profileId;

    const res = await post([
      purchase(`${ext}-2`, ref, '2026-02-03T10:00:00Z', { orderId: 'B', amount: 5 }),
      purchase(`${ext}-3`, ref, inMinutes(24 * 60), { orderId: 'C', amount: 1000 }),
      {
        eventId: `${ext}-4`,
        profile: ref,
        type: 'refund',
        timestamp: inMinutes(60),
        properties: { orderId: 'A', amount: 20, currency: 'USD' },
      },
      { eventId: `${ext}-5`, profile: ref, type: 'visit', timestamp: '2026-02-04T10:00:00Z' },
      { eventId: `${ext}-6`, profile: ref, type: 'visit', timestamp: inMinutes(30) },
    ]);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 3,
      results: [
        { index: 0, eventId: `${ext}-2`, status: 'accepted', profileId },
        {
          index: 1,
          eventId: `${ext}-3`,
          status: 'rejected',
          errors: [{ path: 'timestamp', message: FUTURE_PURCHASE }],
        },
        {
          index: 2,
          eventId: `${ext}-4`,
          status: 'rejected',
          errors: [{ path: 'timestamp', message: FUTURE_PURCHASE }],
        },
        { index: 3, eventId: `${ext}-5`, status: 'accepted', profileId },
        {
          index: 4,
          eventId: `${ext}-6`,
          status: 'rejected',
          errors: [
            {
              path: 'timestamp',
              message: 'is in the future: events must have happened (5 minutes of clock skew are allowed)',
            },
          ],
        },
      ],
    });
    expect((await eventsOf(profileId)).map((e) => e.eventId).sort()).toEqual(
      [`${ext}-1`, `${ext}-2`, `${ext}-5`].sort(),
    );
    // Exactly what orders A and B make: neither the future order C nor the refund of A counts.
    const profile = (await api('GET', `/profiles/${profileId}`)).json;
    expect(profile.purchases).toMatchObject({
      eventCount: 2,
      orders: 2,
      occasions: 2,
      totalSpend: 25,
      refunds: 0,
      refundedAmount: 0,
      lastPurchaseAt: at('2026-02-03T10:00:00Z'),
    });
    expect(profile).toMatchObject({
      lastPurchaseAt: at('2026-02-03T10:00:00Z'),
      lastActivityAt: at('2026-02-04T10:00:00Z'),
    });
  });

  it('refuses more than 100 events (422), malformed JSON (400) and a read-only key (403)', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({
      eventId: `e${i}`,
      profile: { externalId: 'x' },
      type: 'visit',
      timestamp: '2026-01-01T00:00:00Z',
    }));
    const tooMany = await post(many);
    expect(tooMany.status).toBe(422);
    expect(tooMany.json.error.details).toEqual([
      { path: 'events', message: 'send at most 100 events per request' },
    ]);
    const malformed = await api('POST', '/events', {
      rawBody: '{"events": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const reader = await keyWith(['read']);
    const denied = await api('POST', '/events', { body: { events: many.slice(0, 1) }, key: reader });
    expect(denied.status).toBe(403);
    expect((await api('GET', `/profiles?limit=1`, { key: reader })).status).toBe(200);
  });

  it('erasure removes every event of the profile', async () => {
    const ext = unique('erase');
    const res = await post([
      purchase(`${ext}-1`, { externalId: ext }, '2026-05-01T10:00:00Z', { orderId: 'A', amount: 1 }),
      { eventId: `${ext}-2`, profile: { externalId: ext }, type: 'visit', timestamp: '2026-05-01T11:00:00Z' },
    ]);
    const { profileId } = res.json.results[0];
    expect(await eventsOf(profileId)).toHaveLength(2);
    expect((await api('DELETE', `/profiles/${profileId}`)).status).toBe(204);
    expect(await eventsOf(profileId)).toEqual([]);
    expect((await api('GET', `/profiles/${profileId}`)).status).toBe(404);
  });
});

describe('transaction files', () => {
  const readObject = async (key: string) =>
    (
      await s3().send(new GetObjectCommand({ Bucket: endpoints().bucket, Key: key }))
    ).Body!.transformToString();

  it('reject a row dated in the future with its row number and the reason, counted as rejected', async () => {
    const ext = unique('future-file');
    const later = inMinutes(24 * 60);
    const soon = inMinutes(60);
    const body = Buffer.from(
      [
        'externalId,date,amount',
        `${ext},2026-02-01T10:00:00Z,10.00`,
        `${ext},${later},999.00`,
        `${ext},2026-02-02T10:00:00Z,5.00`,
        `${ext},${soon},-7.00`,
        '',
      ].join('\n'),
    );
    const bucket = endpoints().bucket;
    const key = `imports/transactions/${ext}/transactions.csv`;
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const importId = importIdOf({ bucket, key, eTag: (put.ETag ?? '').replace(/"/g, ''), size: body.length });
    const record = await eventually(
      async () => {
        const res = await api('GET', `/imports/${importId}`);
        return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
      },
      60_000,
      `import of ${key}`,
    );
    expect(record).toMatchObject({ status: 'completed', kind: 'transactions' });
    // Rows in = stored + rejected.
    expect(record.counts).toMatchObject({
      rowsRead: 4,
      createdProfile: 1,
      recorded: 1,
      duplicate: 0,
      rejected: 2,
      warnings: 0,
    });
    const reason = (timestamp: string) => `date: ${new Date(timestamp).toISOString()} ${FUTURE_PURCHASE}`;
    const rejects = (await readObject(record.reports.rejects)).trimEnd().split('\n');
    expect(rejects).toHaveLength(3);
    expect(rejects[0]).toBe('row,line,reason,raw');
    expect(rejects[1]!.startsWith(`2,3,${reason(later)},`)).toBe(true);
    expect(rejects[2]!.startsWith(`4,5,${reason(soon)},`)).toBe(true);

    const found = (await api('GET', `/profiles?externalId=${encodeURIComponent(ext)}`)).json.items;
    expect(found).toHaveLength(1);
    const profile = (await api('GET', `/profiles/${found[0].profileId}`)).json;
    expect(profile.purchases).toMatchObject({ eventCount: 2, totalSpend: 15, refunds: 0 });
    expect(profile).toMatchObject({ lastPurchaseAt: at('2026-02-02T10:00:00Z') });
  });
});
