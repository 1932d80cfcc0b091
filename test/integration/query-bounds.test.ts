import { describe, expect, it } from 'vitest';
import { api } from './support';

/** Identifiers and cursors DynamoDB would refuse are the client's 4xx, named, never a 500. */
describe('query parameters and cursors at the edges', () => {
  it('answers 422 for an email or phone longer than any real one', async () => {
    const long = await api('GET', `/profiles?email=${'a'.repeat(2048)}%40example.com`);
    expect(long.status, long.text).toBe(422);
    expect(JSON.stringify(long.json.error.details)).toContain('query.email');
    expect((await api('GET', `/profiles?phone=${'1'.repeat(500)}`)).status).toBe(422);
  });

  it('answers 422 naming the cursor for a forged one, whatever key it claims', async () => {
    for (const key of [{ profileId: '' }, { profileId: 'x'.repeat(300) }, { profileId: 1 }, { pk: 'a' }]) {
      const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
      const res = await api('GET', `/profiles?cursor=${cursor}`);
      expect(res.status, `${JSON.stringify(key)}: ${res.text}`).toBe(422);
      expect(res.json.error.details[0].path).toBe('query.cursor');
    }
    expect((await api('GET', '/profiles?cursor=%%%')).status).toBeLessThan(500);
  });
});
