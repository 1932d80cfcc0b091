import { describe, expect, it } from 'vitest';
import { api, keyWith, unique, uniquePhone } from './support';

/** The suppression list over HTTP: idempotent adds, look-ups in any spelling, pages, admin removal. */
describe('suppressions', () => {
  const run = unique('sup');

  it('suppress an address once, whatever its spelling, and keep the first reason', async () => {
    const email = `${run}-bounced@example.com`;
    const first = await api('POST', '/suppressions', {
      body: { email: ` ${email.toUpperCase()} `, reason: 'bounce' },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({
      channel: 'email',
      address: email,
      reason: 'bounce',
      source: expect.stringMatching(/^api:/),
    });
    const again = await api('POST', '/suppressions', { body: { email, reason: 'complaint' } });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const found = await api('GET', `/suppressions?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(found.json.items).toEqual([first.json]);
  });

  it('take phone numbers in national form, page through everything, and need admin to lift one', async () => {
    const phone = uniquePhone();
    const national = `0${phone.slice(3)}`;
    const added = await api('POST', '/suppressions', { body: { phone: national, note: 'asked by phone' } });
    expect(added.status, added.text).toBe(201);
    expect(added.json).toMatchObject({
      channel: 'sms',
      address: phone,
      reason: 'manual',
      note: 'asked by phone',
    });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api('GET', `/suppressions?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status, page.text).toBe(200);
      seen.push(...page.json.items.map((s: { address: string }) => s.address));
      cursor = page.json.cursor;
    } while (cursor);
    expect(seen).toContain(phone);
    expect(new Set(seen).size).toBe(seen.length);

    const forged = await api('GET', `/suppressions?cursor=${Buffer.from('{"x":1}').toString('base64url')}`);
    expect(forged.status).toBe(422);
    expect(forged.json.error.details[0].path).toBe('query.cursor');

    const writer = await keyWith(['write']);
    expect((await api('DELETE', `/suppressions/${encodeURIComponent(phone)}`, { key: writer })).status).toBe(
      403,
    );
    expect((await api('DELETE', `/suppressions/${encodeURIComponent(phone)}`)).status).toBe(204);
    expect((await api('DELETE', `/suppressions/${encodeURIComponent(phone)}`)).status).toBe(404);
    expect((await api('GET', `/suppressions?phone=${encodeURIComponent(phone)}`)).json.items).toEqual([]);
  });

  it('refuse what is no address, naming the field', async () => {
    const neither = await api('POST', '/suppressions', { body: { reason: 'manual' } });
    expect(neither.status).toBe(422);
    const bad = await api('POST', '/suppressions', { body: { email: 'not-an-address' } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details).toEqual([{ path: 'email', message: 'is not an email address' }]);
    expect((await api('DELETE', '/suppressions/nonsense')).status).toBe(422);
  });
});
