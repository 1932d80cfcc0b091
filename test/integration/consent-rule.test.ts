import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { api, endpoints, eventually, s3, unique } from './support';

/**
 * Consent only moves the way the person moved it, on every API path that writes it: after an
 * unsubscribe, a grant dated before it (PUT, PATCH) is kept out and the response says so; a newer
 * grant applies; leaving consent out never erases the unsubscribe; future timestamps are refused.
 */

const now = () => new Date().toISOString();
const unsubscribedNow = () => ({ status: 'unsubscribed', source: 'one-click', timestamp: now() });
const grantOf2020 = { status: 'granted', source: 'web-form', timestamp: '2020-01-01T00:00:00Z' };

const unsubscribedProfile = async () => {
  const id = unique('consent');
  const res = await api('PUT', `/profiles/${id}`, {
    body: { email: `${id}@example.com`, consent: { email: unsubscribedNow() } },
  });
  expect(res.status, res.text).toBe(201);
  return { id, email: `${id}@example.com` };
};

describe('the consent rule through the API', () => {
  it('PUT: an older grant after an unsubscribe is kept out, with a notice, and nothing else is refused', async () => {
    const { id, email } = await unsubscribedProfile();
    const res = await api('PUT', `/profiles/${id}`, {
      body: { email, firstName: 'Ana', consent: { email: grantOf2020 } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.consent.email.status).toBe('unsubscribed');
    expect(res.json.firstName).toBe('Ana');
    expect(res.json.notices).toEqual([
      {
        path: 'consent.email',
        message: expect.stringMatching(/^stays unsubscribed since .* not newer than it$/),
      },
    ]);
    expect((await api('GET', `/profiles/${id}`)).json.consent.email.status).toBe('unsubscribed');
  });

  it('PUT without consent keeps the unsubscribe; a grant newer than it applies', async () => {
    const { id, email } = await unsubscribedProfile();
    const without = await api('PUT', `/profiles/${id}`, { body: { email } });
    expect(without.json.consent.email.status).toBe('unsubscribed');
    expect(without.json.notices[0].message).toMatch(/is not erased/);
    const later = new Date(Date.now() + 1000).toISOString();
    const regrant = await api('PUT', `/profiles/${id}`, {
      body: {
        email,
        consent: { email: { status: 'granted', source: 'preference-centre', timestamp: later } },
      },
    });
    expect(regrant.status, regrant.text).toBe(200);
    expect(regrant.json.consent.email).toMatchObject({ status: 'granted', source: 'preference-centre' });
    expect(regrant.json.notices).toBeUndefined();
  });

  it('PATCH: the same rule, and null never removes a withdrawal', async () => {
    const { id } = await unsubscribedProfile();
    const headers = { 'content-type': 'application/merge-patch+json' };
    const older = await api('PATCH', `/profiles/${id}`, {
      headers,
      body: { consent: { email: grantOf2020 } },
    });
    expect(older.status, older.text).toBe(200);
    expect(older.json.consent.email.status).toBe('unsubscribed');
    expect(older.json.notices).toHaveLength(1);
    const removed = await api('PATCH', `/profiles/${id}`, { headers, body: { consent: { email: null } } });
    expect(removed.json.consent.email.status).toBe('unsubscribed');
  });

  it('refuses consent dated in the future (422 naming the field) and changes nothing', async () => {
    const { id, email } = await unsubscribedProfile();
    const future = { status: 'granted', source: 'web-form', timestamp: '2099-01-01T00:00:00Z' };
    const put = await api('PUT', `/profiles/${id}`, { body: { email, consent: { email: future } } });
    expect(put.status, put.text).toBe(422);
    expect(put.text).toContain('consent.email.timestamp');
    const patch = await api('PATCH', `/profiles/${id}`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { consent: { sms: future } },
    });
    expect(patch.status, patch.text).toBe(422);
    expect(patch.text).toContain('consent.sms.timestamp');
    const stored = (await api('GET', `/profiles/${id}`)).json;
    expect(stored.version).toBe(1);
    expect(stored.consent).toEqual({ email: expect.objectContaining({ status: 'unsubscribed' }) });
  });

  it('an import: a consent column saying yes leaves the unsubscribed and the denied as they are', async () => {
    const gone = await unsubscribedProfile();
    const deniedId = unique('consent');
    const denied = `${deniedId}@example.com`;
    const stamp = { source: 'web-form', timestamp: now() };
    await api('PUT', `/profiles/${deniedId}`, {
      body: { email: denied, consent: { email: { status: 'denied', ...stamp } } },
    });
    const fresh = `${unique('consent')}@example.com`;
    const body = Buffer.from(`email,email consent\n${gone.email},yes\n${denied},yes\n${fresh},yes\n`);
    const key = `imports/profiles/${unique('consent')}.csv`;
    const put = await s3().send(new PutObjectCommand({ Bucket: endpoints().bucket, Key: key, Body: body }));
    const eTag = (put.ETag ?? '').replace(/"/g, '');
    const importId = importIdOf({ bucket: endpoints().bucket, key, eTag, size: body.length });
    const done = await eventually(async () => {
      const res = await api('GET', `/imports/${importId}`);
      return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
    }, 30_000);
    expect(done.status).toBe('completed');
    expect((await api('GET', `/profiles/${gone.id}`)).json.consent.email.status).toBe('unsubscribed');
    expect((await api('GET', `/profiles/${deniedId}`)).json.consent.email.status).toBe('denied');
    const created = await api('GET', `/profiles?email=${encodeURIComponent(fresh)}`);
    expect(JSON.stringify(created.json)).toContain('"granted"');
  });
});
