import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbProfileStore } from '../../functions/profiles/dynamodb-profile-store';
import { identifierKey } from '../../functions/profiles/identifier-key';
import type { Profile } from '../../functions/profiles/profile';
import { replaceProfile } from '../../functions/profiles/profile-changes';
import { IdentifierTakenError } from '../../functions/profiles/profile-store';
import { documentClient, endpoints, unique, uniquePhone } from './support';

const store = () =>
  new DynamoDbProfileStore(documentClient(), endpoints().tables.profiles!, endpoints().tables.identifiers!);

const newProfile = (id: string, fields: { email?: string; phone?: string }): Profile =>
  replaceProfile(id, { ...fields, firstName: 'Ann' }, undefined, '2026-01-01T00:00:00Z');

const markerOwner = async (key: string): Promise<string | undefined> => {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: endpoints().tables.identifiers!,
      Key: { identifier: key },
      ConsistentRead: true,
    }),
  );
  return Item?.profileId as string | undefined;
};

const claimFirst = { claimFirst: { leftovers: new Map<string, string>() } };

describe('the DynamoDB profile store', () => {
  it('scans every profile for only the attributes asked for (the quality report reads)', async () => {
    const ids = [unique('scan-a'), unique('scan-b'), unique('scan-c')];
    await Promise.all(
      ids.map((id) => store().save(newProfile(id, { email: `${id}@example.com` }), undefined)),
    );
    const seen = new Map<string, Record<string, unknown>>();
    await store().scanAttributes(['profileId', 'email', 'provenance'], (page) => {
      for (const p of page) seen.set(p.profileId, p);
    });
    for (const id of ids) {
      expect(Object.keys(seen.get(id) ?? {}).sort()).toEqual(['email', 'profileId', 'provenance']);
      expect(seen.get(id)).toMatchObject({ email: `${id}@example.com`, provenance: { source: 'api' } });
    }
  });

  it('never puts back purchase aggregates or contact dates that changed after the profile was read', async () => {
    const client = documentClient();
    const store = new DynamoDbProfileStore(
      client,
      endpoints().tables.profiles!,
      endpoints().tables.identifiers!,
    );
    const id = unique('race');
    const created = replaceProfile(
      id,
      { email: `${id}@example.com`, firstName: 'Ann', city: 'Leeds' },
      undefined,
      '2026-01-01T00:00:00Z',
    );
    await store.save(created, undefined);
    const read = (await store.get(id))!;

    // Meanwhile an event refreshes the aggregates and a run records a contact (neither bumps the version).
    await client.send(
      new UpdateCommand({
        TableName: endpoints().tables.profiles!,
        Key: { profileId: id },
        UpdateExpression: 'SET purchases = :p, lastReactivationAt = :r',
        ExpressionAttributeValues: { ':p': { occasions: 3 }, ':r': '2026-02-01T00:00:00Z' },
      }),
    );

    // The write based on the earlier read changes a field, drops another, and keeps theirs.
    const next = replaceProfile(id, { email: read.email!, firstName: 'Annie' }, read, '2026-03-01T00:00:00Z');
    await store.save(next, read);
    const { Item } = await client.send(
      new GetCommand({ TableName: endpoints().tables.profiles!, Key: { profileId: id } }),
    );
    expect(Item).toMatchObject({
      firstName: 'Annie',
      version: 2,
      purchases: { occasions: 3 },
      lastReactivationAt: '2026-02-01T00:00:00Z',
    });
    expect(Item?.city).toBeUndefined();

    // A write based on a stale version still fails.
    await expect(
      store.save(replaceProfile(id, { email: read.email! }, read, '2026-04-01T00:00:00Z'), read),
    ).rejects.toThrow(/changed since it was read/);
  });

  it('creates markers first: a new profile whose identifier another holds is not written and keeps no claim; the others are', async () => {
    const profiles = store();
    const [q, p1, p2, p3] = ['q', 'p1', 'p2', 'p3'].map((n) => unique(`claim-${n}`));
    const taken = `${q}@example.com`;
    await profiles.save(newProfile(q!, { email: taken }), undefined);

    const error = await profiles
      .saveMany(
        [
          newProfile(p1!, { email: `${p1}@example.com`, phone: '+447400100001' }),
          newProfile(p2!, { email: taken, phone: '+447400100002' }),
          newProfile(p3!, { email: `${p3}@example.com` }),
        ].map((next) => ({ next, previous: undefined })),
        claimFirst,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentifierTakenError);
    expect(error).toMatchObject({ kind: 'email', ownerProfileId: q });

    expect((await profiles.get(p1!))?.email).toBe(`${p1}@example.com`);
    expect(await markerOwner(identifierKey('phone', '+447400100001'))).toBe(p1);
    expect(await profiles.get(p3!)).toBeDefined();
    expect(await profiles.get(p2!)).toBeUndefined();
    expect(await markerOwner(identifierKey('phone', '+447400100002'))).toBeUndefined();
    expect(await markerOwner(identifierKey('email', taken))).toBe(q);
  });

  it('takes up the claims an earlier attempt left, and releases those its plan no longer uses', async () => {
    const client = documentClient();
    const profiles = store();
    const [p, gone, q] = ['p', 'gone', 'q'].map((n) => unique(`left-${n}`));
    const kept = identifierKey('email', `${p}@example.com`);
    const dropped = identifierKey('phone', '+447400200001');
    const movedTo = identifierKey('email', `${q}-new@example.com`);
    // An attempt that died after claiming, before writing profiles p and gone.
    for (const [identifier, profileId] of [
      [kept, p],
      [dropped, p],
      [movedTo, gone],
    ] as const) {
      await client.send(
        new PutCommand({
          TableName: endpoints().tables.identifiers!,
          Item: { identifier, profileId, kind: 'x' },
        }),
      );
    }
    const before = newProfile(q!, { email: `${q}@example.com` });
    await profiles.save(before, undefined);

    // The next attempt plans p without the phone, and gives q the email `gone` had claimed.
    await profiles.saveMany(
      [
        { next: newProfile(p!, { email: `${p}@example.com` }), previous: undefined },
        {
          next: replaceProfile(q!, { email: `${q}-new@example.com` }, before, '2026-02-01T00:00:00Z'),
          previous: before,
        },
      ],
      {
        claimFirst: {
          leftovers: new Map([
            [kept, p!],
            [dropped, p!],
            [movedTo, gone!],
          ]),
        },
      },
    );
    expect((await profiles.get(p!))?.email).toBe(`${p}@example.com`);
    expect(await markerOwner(kept)).toBe(p);
    expect(await markerOwner(dropped)).toBeUndefined();
    expect((await profiles.get(q!))?.email).toBe(`${q}-new@example.com`);
    expect(await markerOwner(movedTo)).toBe(q);
    expect(await markerOwner(identifierKey('email', `${q}@example.com`))).toBeUndefined();
  });

  it('never leaves an identifier on two profiles, or a marker without its profile, when imports and API writes race', async () => {
    const profiles = store();
    const run = unique('race-many');
    const emails = Array.from({ length: 24 }, (_, i) => `${run}-${i}@example.com`);
    const pick = (n: number, seed: number) =>
      Array.from({ length: n }, (_, k) => emails[(seed * 7 + k * 5) % emails.length]!);
    const ids: string[] = [];
    const phones: string[] = [];
    const attempts: Promise<unknown>[] = [];
    for (let round = 0; round < 6; round++) {
      // An import chunk: eight new profiles, each with one of the shared emails, every other one a phone.
      const chunk = pick(8, round).map((email, k) => {
        const id = `${run}-imp-${round}-${k}`;
        ids.push(id);
        const profile = newProfile(id, {
          email,
          ...(k % 2 ? { phone: uniquePhone() } : {}),
        });
        if (profile.phone) phones.push(identifierKey('phone', profile.phone));
        return profile;
      });
      attempts.push(
        profiles.saveMany(
          chunk.map((next) => ({ next, previous: undefined })),
          claimFirst,
        ),
      );
      // API creates at the same moment, with some of the same emails.
      for (const [k, email] of pick(4, round + 11).entries()) {
        const id = `${run}-api-${round}-${k}`;
        ids.push(id);
        attempts.push(profiles.save(newProfile(id, { email }), undefined));
      }
    }
    const results = await Promise.allSettled(attempts);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(IdentifierTakenError);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);

    const stored = await profiles.getMany(ids);
    const holders = new Map<string, string[]>();
    for (const profile of stored.values()) {
      for (const key of [
        identifierKey('email', profile.email!),
        ...(profile.phone ? [identifierKey('phone', profile.phone)] : []),
      ])
        holders.set(key, [...(holders.get(key) ?? []), profile.profileId]);
    }
    const markers = await profiles.ownersOf([...emails.map((e) => identifierKey('email', e)), ...phones]);
    for (const [key, owners] of holders) {
      expect(owners).toHaveLength(1);
      expect(markers.get(key)).toBe(owners[0]);
    }
    for (const [key, owner] of markers) {
      const profile = stored.get(owner);
      expect(profile, `${key} points at ${owner}`).toBeDefined();
    }
  });

  it('removes a marker its profile abandoned, and only that, when a write needs the identifier', async () => {
    const profiles = store();
    const putMarker = (identifier: string, profileId: string, claimedAt?: string) =>
      documentClient().send(
        new PutCommand({
          TableName: endpoints().tables.identifiers!,
          Item: { identifier, profileId, kind: 'email', ...(claimedAt ? { claimedAt } : {}) },
        }),
      );
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    const dead = unique('abandon-dead');
    const live = unique('abandon-live');
    const moved = unique('abandon-moved');
    const holder = unique('abandon-holder');

    // An import claimed this email two hours ago and died before writing the profile: API writes take it.
    await putMarker(identifierKey('email', `${dead}@example.com`), `${dead}-never-written`, hoursAgo(2));
    const byApi = unique('abandon-api');
    await profiles.save(newProfile(byApi, { email: `${dead}@example.com` }), undefined);
    expect(await markerOwner(identifierKey('email', `${dead}@example.com`))).toBe(byApi);

    // Claimed a minute ago: an import is between claiming and writing, so the email is taken.
    await putMarker(identifierKey('email', `${live}@example.com`), `${live}-in-flight`, hoursAgo(1 / 60));
    await expect(
      profiles.save(newProfile(unique('abandon-api'), { email: `${live}@example.com` }), undefined),
    ).rejects.toBeInstanceOf(IdentifierTakenError);
    expect(await markerOwner(identifierKey('email', `${live}@example.com`))).toBe(`${live}-in-flight`);

    // A marker left pointing at a profile that has another email now: imports (claim first) take it.
    await profiles.save(newProfile(holder, { email: `${holder}@example.com` }), undefined);
    await putMarker(identifierKey('email', `${moved}@example.com`), holder);
    const byImport = unique('abandon-import');
    await profiles.saveMany(
      [{ next: newProfile(byImport, { email: `${moved}@example.com` }), previous: undefined }],
      claimFirst,
    );
    expect(await markerOwner(identifierKey('email', `${moved}@example.com`))).toBe(byImport);
    expect((await profiles.get(byImport))?.email).toBe(`${moved}@example.com`);

    // A marker its profile still holds is never taken.
    await expect(
      profiles.save(newProfile(unique('abandon-api'), { email: `${holder}@example.com` }), undefined),
    ).rejects.toBeInstanceOf(IdentifierTakenError);
    expect(await markerOwner(identifierKey('email', `${holder}@example.com`))).toBe(holder);
  });
});
