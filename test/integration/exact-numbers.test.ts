import { describe, expect, it } from 'vitest';
import { api, unique } from './support';

/**
 * Numbers a hostile or careless client sends never give a 500: each is stored exactly as sent
 * where DynamoDB can hold it (and read back the same), or refused with a 422 naming the field; in
 * an event batch the bad event is rejected alone.
 */

const put = (id: string, body: string) =>
  api('PUT', `/profiles/${id}`, { rawBody: body, headers: { 'content-type': 'application/json' } });

describe('JSON numbers at the edges', () => {
  it('stores 1e16 and 1e17 as sent and reads them back the same', async () => {
    const id = unique('num');
    const res = await put(
      id,
      `{"email":"${id}@example.com","attributes":{"a":1e16,"b":100000000000000000,"c":-0.5}}`,
    );
    expect(res.status, res.text).toBe(201);
    const read = await api('GET', `/profiles/${id}`);
    expect(read.status).toBe(200);
    expect(read.text).toContain('"a":10000000000000000');
    expect(read.json.attributes).toEqual({ a: 1e16, b: 1e17, c: -0.5 });
  });

  it('refuses what cannot be stored as sent with a 422 naming the field, on PUT and PATCH, and stores nothing', async () => {
    const id = unique('num');
    for (const [value, reason] of [
      ['9007199254740993', /stored as 9007199254740992/],
      ['1e300', /too large/],
      ['-1e300', /too large/],
      ['5e-324', /too small/],
    ] as const) {
      const res = await put(id, `{"email":"${id}@example.com","attributes":{"n":${value}}}`);
      expect(res.status, `${value}: ${res.text}`).toBe(422);
      expect(res.json.error.details).toEqual([
        { path: 'attributes.n', message: expect.stringMatching(reason) },
      ]);
    }
    expect((await api('GET', `/profiles/${id}`)).status).toBe(404);
    expect((await put(id, `{"email":"${id}@example.com"}`)).status).toBe(201);
    const patch = await api('PATCH', `/profiles/${id}`, {
      rawBody: '{"attributes":{"n":1e300}}',
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patch.status, patch.text).toBe(422);
    expect((await api('GET', `/profiles/${id}`)).json.version).toBe(1);
  });

  it('rejects an event with such a number alone, and records the rest of its batch', async () => {
    const ext = unique('num');
    const event = (n: number, props: string) =>
      `{"eventId":"${ext}-${n}","profile":{"externalId":"${ext}"},"type":"visit","timestamp":"2026-01-10T10:00:00Z","properties":${props}}`;
    const res = await api('POST', '/events', {
      rawBody: `{"events":[${event(0, '{"n":1e17}')},${event(1, '{"n":1e300}')},${event(2, '{"page":"/"}')}]}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status, res.text).toBeLessThan(500);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'accepted',
    ]);
    expect(res.json.results[1].errors).toEqual([
      { path: 'properties.n', message: expect.stringMatching(/too large/) },
    ]);
  });
});
