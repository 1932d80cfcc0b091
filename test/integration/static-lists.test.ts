import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { staticListRule, staticListTag } from '../../functions/segments/static-list';
import { api, endpoints, eventually, s3, unique } from './support';

/**
 * Static lists through the drop folder on the local stack: a profile file whose manifest names
 * `tags` and a `segment` tags every row it imports and becomes a segment, with no API call; a later
 * file naming the list grows it, and a name taken by a rule segment fails the import at once.
 * This file's stage holds no other profiles, so a preview's count is exactly the list's rows.
 */

const run = unique('lists');
const email = (who: string) => `${run}-${who}@example.com`;
const LIST = 'Spring fair leads';
const LIST_TAG = staticListTag(LIST);

const put = async (key: string, body: string) =>
  s3().send(new PutObjectCommand({ Bucket: endpoints().bucket, Key: key, Body: body }));

/** Uploads a file and waits for its import to finish. */
const importFileAt = async (key: string, csv: string) => {
  const uploaded = await put(key, csv);
  const importId = importIdOf({
    bucket: endpoints().bucket,
    key,
    eTag: (uploaded.ETag ?? '').replace(/"/g, ''),
    size: Buffer.byteLength(csv),
  });
  return eventually(
    async () => {
      const res = await api('GET', `/imports/${importId}`);
      return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
    },
    45_000,
    `import ${importId}`,
  );
};

/** Uploads the sidecar manifest, then the file. */
const importList = async (key: string, manifest: unknown, csv: string) => {
  await put(`${key}.manifest.json`, JSON.stringify(manifest));
  return importFileAt(key, csv);
};

const profileOf = async (address: string) =>
  (await api('GET', `/profiles?email=${encodeURIComponent(address)}`)).json.items[0];

const listMembers = async (segmentId: string): Promise<number> => {
  const res = await api('GET', `/segments/${segmentId}/preview`);
  expect(res.status, res.text).toBe(200);
  return res.json.count;
};

describe('a profile file as a static list', () => {
  let segmentId = '';

  it('tags every imported row and makes the rows a segment', async () => {
    // An existing customer keeps her tags and gets the list's.
    const dee = await api('PUT', `/profiles/${run}-dee`, { body: { email: email('dee'), tags: ['old'] } });
    expect(dee.status, dee.text).toBe(201);
    const key = `imports/profiles/${run} spring fair.csv`;
    const result = await importList(
      key,
      { tags: ['fair-2026', 'lead'], segment: LIST },
      [
        'email,firstName,tags',
        `${email('ann')},Ann,vip`,
        `${email('bob')},Bob,`,
        'not-an-email,Carl,',
        ',Nobody,',
        `${email('dee')},Dee,`,
        `${email('ann')},Annie,`,
      ].join('\n'),
    );
    expect(result).toMatchObject({
      status: 'completed',
      counts: { rowsRead: 6, created: 2, updated: 1, merged: 1, unchanged: 0, rejected: 2 },
      appliedTags: ['fair-2026', 'lead', LIST_TAG],
      segment: { name: LIST },
    });
    segmentId = result.segment.segmentId;

    expect((await profileOf(email('ann'))).tags).toEqual(['vip', 'fair-2026', 'lead', LIST_TAG]);
    expect((await profileOf(email('bob'))).tags).toEqual(['fair-2026', 'lead', LIST_TAG]);
    expect((await profileOf(email('dee'))).tags).toEqual(['old', 'fair-2026', 'lead', LIST_TAG]);

    // Beside the win-back segment the stack's first deployment made.
    const listed = (await api('GET', '/segments')).json.items.filter(
      (s: { segmentId: string }) => s.segmentId !== 'seg_winback',
    );
    expect(listed).toEqual([
      expect.objectContaining({
        segmentId,
        name: LIST,
        description: `Static list from ${key}`,
        rule: staticListRule(LIST),
        version: 1,
      }),
    ]);
    // Ann, Bob and Dee: the file's valid rows, one profile each.
    expect(await listMembers(segmentId)).toBe(3);
  });

  it('grows when another file names the same list (in any case), through POST /imports', async () => {
    const key = `imports/profiles/${run} second day.csv`;
    const created = await api('POST', '/imports', {
      body: { key, manifest: { segment: 'spring FAIR leads' } },
    });
    expect(created.status, created.text).toBe(201);
    const result = await importFileAt(key, `email\n${email('eve')}\n${email('bob')}\n`);
    expect(result).toMatchObject({
      status: 'completed',
      counts: { rowsRead: 2, created: 1, unchanged: 1, rejected: 0 },
      appliedTags: [LIST_TAG],
      segment: { segmentId, name: LIST },
    });
    expect(
      (await api('GET', '/segments')).json.items.filter(
        (s: { segmentId: string }) => s.segmentId !== 'seg_winback',
      ),
    ).toHaveLength(1);
    expect(await listMembers(segmentId)).toBe(4);
  });

  it('fails at once, changing nothing, when the name is a segment with another rule', async () => {
    const gold = await api('POST', '/segments', {
      body: { name: 'Gold customers', rule: { attribute: 'scores.valueTier', op: 'eq', value: 'gold' } },
    });
    expect(gold.status, gold.text).toBe(201);
    const result = await importList(
      `imports/profiles/${run} gold.csv`,
      { tags: ['gold-list'], segment: 'gold customers' },
      `email\n${email('fay')}\n${email('ann')}\n`,
    );
    expect(result).toMatchObject({
      status: 'failed',
      failureReason: 'segment "gold customers" exists and is not a static list',
      counts: { rowsRead: 0 },
    });
    expect(await profileOf(email('fay'))).toBeUndefined();
    expect((await profileOf(email('ann'))).tags).not.toContain('gold-list');
    expect((await api('GET', `/segments/${gold.json.segmentId}`)).json).toMatchObject({ version: 1 });
  });

  it('POST /imports refuses tags and a segment for a transaction file', async () => {
    const res = await api('POST', '/imports', {
      body: { key: 'imports/transactions/fair.csv', manifest: { segment: LIST } },
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('only profile files');
  });
});
