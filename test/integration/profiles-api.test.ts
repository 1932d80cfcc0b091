import { describe, expect, it } from 'vitest';
import { api, keyWith, unique, uniquePhone } from './support';

const newProfile = () => {
  const id = unique('p');
  return { id, email: `${id}@Example.com`, phone: uniquePhone() };
};

describe('profiles over HTTP', () => {
  it('creates, reads, replaces, patches and erases a profile', async () => {
    const p = newProfile();
    const local = p.phone.replace('+44', '0');
    const created = await api('PUT', `/profiles/${p.id}`, {
      body: {
        email: `  ${p.email} `,
        phone: local,
        firstName: 'Ann',
        consent: { email: { status: 'granted', source: 'web', timestamp: '2026-01-01T00:00:00Z' } },
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/profiles/${p.id}`);
    expect(created.json).toMatchObject({
      profileId: p.id,
      email: p.email.toLowerCase(),
      phone: p.phone,
      version: 1,
    });

    const read = await api('GET', `/profiles/${p.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);

    const replaced = await api('PUT', `/profiles/${p.id}`, {
      body: { email: p.email, lastName: 'Lee' },
      headers: { 'if-match': '"1"' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ version: 2, lastName: 'Lee' });
    expect(replaced.json.firstName).toBeUndefined();
    expect(replaced.json.phone).toBeUndefined();

    const patched = await api('PATCH', `/profiles/${p.id}`, {
      body: { firstName: 'Annie', lastName: null, attributes: { shoe: 42 } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ version: 3, firstName: 'Annie', attributes: { shoe: 42 } });
    expect(patched.json.lastName).toBeUndefined();

    // The phone was released by the replace: another profile may take it now.
    const other = unique('p');
    expect((await api('PUT', `/profiles/${other}`, { body: { phone: p.phone } })).status).toBe(201);

    expect((await api('DELETE', `/profiles/${p.id}`)).status).toBe(204);
    expect((await api('GET', `/profiles/${p.id}`)).status).toBe(404);
    // Erasure released the email too.
    expect((await api('GET', `/profiles?email=${encodeURIComponent(p.email)}`)).json.items).toEqual([]);
    expect((await api('PUT', `/profiles/${unique('p')}`, { body: { email: p.email } })).status).toBe(201);
  });

  it('looks profiles up by email and by phone in any format', async () => {
    const p = newProfile();
    expect((await api('PUT', `/profiles/${p.id}`, { body: { email: p.email, phone: p.phone } })).status).toBe(
      201,
    );
    const byEmail = await api('GET', `/profiles?email=${encodeURIComponent(p.email.toUpperCase())}`);
    expect(byEmail.json.items.map((x: { profileId: string }) => x.profileId)).toEqual([p.id]);
    const spaced = `${p.phone.slice(0, 3)} ${p.phone.slice(3, 7)} ${p.phone.slice(7)}`;
    const byPhone = await api('GET', `/profiles?phone=${encodeURIComponent(spaced)}`);
    expect(byPhone.json.items.map((x: { profileId: string }) => x.profileId)).toEqual([p.id]);
    expect(
      (await api('GET', `/profiles?email=${encodeURIComponent(`nobody-${p.email}`)}`)).json.items,
    ).toEqual([]);
  });

  it('pages through every profile with a cursor, each exactly once', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const id = unique('page');
      ids.add(id);
      await api('PUT', `/profiles/${id}`, { body: { firstName: `n${i}` } });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      // Other test files share this table: small pages at first, then larger ones to get through it.
      const limit = pages < 5 ? 3 : 100;
      const page = await api('GET', `/profiles?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.json.items.map((x: { profileId: string }) => x.profileId));
      cursor = page.json.cursor;
      pages++;
    } while (cursor && pages < 10_000);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  it('answers 409 naming the owner when an email or phone is taken', async () => {
    const a = newProfile();
    const b = newProfile();
    await api('PUT', `/profiles/${a.id}`, { body: { email: a.email, phone: a.phone } });
    const taken = await api('PUT', `/profiles/${b.id}`, { body: { email: a.email.toUpperCase() } });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toMatchObject({
      code: 'conflict',
      details: [{ path: 'email', message: `already used by profile ${a.id}` }],
    });
    expect((await api('GET', `/profiles/${b.id}`)).status).toBe(404);
    await api('PUT', `/profiles/${b.id}`, { body: { email: b.email } });
    const phoneTaken = await api('PATCH', `/profiles/${b.id}`, { body: { phone: a.phone } });
    expect(phoneTaken.status).toBe(409);
    expect(phoneTaken.json.error.details[0]).toMatchObject({ path: 'phone' });
    expect((await api('GET', `/profiles/${b.id}`)).json.phone).toBeUndefined();
  });

  it('answers 412 to a stale If-Match and to If-None-Match on an existing profile', async () => {
    const p = newProfile();
    await api('PUT', `/profiles/${p.id}`, { body: { email: p.email } });
    await api('PATCH', `/profiles/${p.id}`, { body: { firstName: 'B' } });
    const stale = await api('PATCH', `/profiles/${p.id}`, {
      body: { firstName: 'C' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('precondition_failed');
    expect((await api('GET', `/profiles/${p.id}`)).json.firstName).toBe('B');
    expect(
      (await api('PUT', `/profiles/${p.id}`, { body: {}, headers: { 'if-none-match': '*' } })).status,
    ).toBe(412);
    expect((await api('DELETE', `/profiles/${p.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect(
      (await api('PATCH', `/profiles/${p.id}`, { body: { firstName: 'D' }, headers: { 'if-match': '"2"' } }))
        .status,
    ).toBe(200);
  });

  it('needs a key with the right scope', async () => {
    const p = newProfile();
    const missing = await api('GET', `/profiles/${p.id}`, { key: null });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe('unauthorized');
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(
      (
        await api('GET', `/profiles/${p.id}`, {
          key: 'rk_aaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        })
      ).status,
    ).toBe(401);
    expect(
      (await api('GET', `/profiles/${p.id}`, { headers: { authorization: 'Basic Zm9vOmJhcg==' }, key: null }))
        .status,
    ).toBe(401);

    const reader = await keyWith(['read']);
    const denied = await api('PUT', `/profiles/${p.id}`, { body: { email: p.email }, key: reader });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('forbidden');
    expect((await api('GET', `/profiles/${p.id}`, { key: reader })).status).toBe(404);
    const writer = await keyWith(['write']);
    expect((await api('PUT', `/profiles/${p.id}`, { body: { email: p.email }, key: writer })).status).toBe(
      201,
    );
    expect((await api('DELETE', `/profiles/${p.id}`, { key: writer })).status).toBe(403);
    expect((await api('GET', `/profiles/${p.id}`)).status).toBe(200);
  });
});

describe('errors', () => {
  it('has one shape for every client error, and none of them changes anything', async () => {
    const p = newProfile();
    const malformed = await api('PUT', `/profiles/${p.id}`, {
      rawBody: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: 'malformed_json', details: [{ path: '(body)' }] });

    const wrongType = await api('PUT', `/profiles/${p.id}`, {
      rawBody: 'email=a@b.co',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json.error.code).toBe('unsupported_media_type');

    const invalid = await api('PUT', `/profiles/${p.id}`, {
      body: {
        email: 'not-an-email',
        birthDate: '1990-13-45',
        country: 'Narnia',
        nickname: 'x',
        consent: { email: { status: 'maybe' } },
      },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.code).toBe('validation_failed');
    const paths = invalid.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['birthDate', 'country', 'consent.email.status', 'consent.email.source']),
    );
    expect(invalid.json.error.details.some((d: { message: string }) => /nickname/.test(d.message))).toBe(
      true,
    );

    const badPhone = await api('PUT', `/profiles/${p.id}`, { body: { email: p.email, phone: '12345' } });
    expect(badPhone.status).toBe(422);
    expect(badPhone.json.error.details).toEqual([expect.objectContaining({ path: 'phone' })]);

    const badId = await api('GET', `/profiles/${encodeURIComponent('bad id!')}`);
    expect(badId.status).toBe(422);
    expect(badId.json.error.details[0].path).toBe('path.profileId');

    const tooBig = await api('PUT', `/profiles/${p.id}`, {
      body: { email: p.email, attributes: { blob: 'x'.repeat(300 * 1024) } },
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe('payload_too_large');

    const unknownRoute = await api('GET', '/no/such/route');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.json.error.code).toBe('not_found');

    const badQuery = await api('GET', '/profiles?limit=1000');
    expect(badQuery.status).toBe(422);
    expect(badQuery.json.error.details[0].path).toBe('query.limit');

    const badCursor = await api('GET', '/profiles?cursor=garbage');
    expect(badCursor.status).toBe(422);

    expect((await api('GET', `/profiles/${p.id}`)).status).toBe(404);
  });

  it('serves the OpenAPI document without a key', async () => {
    const doc = await api('GET', '/openapi.json', { key: null });
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toContain('/profiles/{profileId}');
  });
});
