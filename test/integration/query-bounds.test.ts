import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { api, documentClient, endpoints } from './support';

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

describe('small things a careful API gets right', () => {
  it('If-Match compares strongly: W/"1" is a 412 even at version 1', async () => {
    const id = `strong-${Date.now()}`;
    expect((await api('PUT', `/profiles/${id}`, { body: { email: `${id}@example.com` } })).status).toBe(201);
    const weak = await api('PUT', `/profiles/${id}`, {
      body: { email: `${id}@example.com`, firstName: 'W' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(weak.status, weak.text).toBe(412);
    const strong = await api('PUT', `/profiles/${id}`, {
      body: { email: `${id}@example.com`, firstName: 'S' },
      headers: { 'if-match': '"1"' },
    });
    expect(strong.status, strong.text).toBe(200);
  });

  it('collapses duplicate tags, and never shows the score index keys', async () => {
    const id = `tags-${Date.now()}`;
    const res = await api('PUT', `/profiles/${id}`, {
      body: { email: `${id}@example.com`, tags: ['vip', 'vip', 'new'] },
    });
    expect(res.json.tags).toEqual(['vip', 'new']);
    // As the scoring job leaves them on a scored profile.
    await documentClient().send(
      new UpdateCommand({
        TableName: endpoints().tables.profiles!,
        Key: { profileId: id },
        UpdateExpression: 'SET scoreRank = :r, scoreLifecycleTier = :t, scoreCell = :c',
        ExpressionAttributeValues: { ':r': '0001', ':t': 'lapsed#gold', ':c': 'high/high' },
      }),
    );
    const read = await api('GET', `/profiles/${id}`);
    for (const key of ['scoreRank', 'scoreLifecycleTier', 'scoreCell', 'activity', 'contactLog'])
      expect(read.json, key).not.toHaveProperty(key);
  });
});

describe('text that reaches a person', () => {
  it('strips control and bidi characters from names, so none reaches a Subject', async () => {
    const id = `ctl-${Date.now()}`;
    const res = await api('PUT', `/profiles/${id}`, {
      body: {
        email: `${id}@example.com`,
        firstName: 'An\u0000n\u0007a\u202Eexe',
        lastName: ' \u2066Li\u2069 ',
        city: 'Lyon\r\n',
      },
    });
    expect(res.status, res.text).toBe(201);
    expect([res.json.firstName, res.json.lastName, res.json.city]).toEqual(['Annaexe', 'Li', 'Lyon']);
    expect(
      (await api('PUT', `/profiles/${id}`, { body: { email: `${id}@example.com`, firstName: '\u202E' } }))
        .status,
    ).toBe(422);
  });
});
