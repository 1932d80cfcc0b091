import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbProfileStore } from '../../functions/profiles/dynamodb-profile-store';
import { replaceProfile } from '../../functions/profiles/profile-changes';
import { documentClient, endpoints, unique } from './support';

describe('the DynamoDB profile store', () => {
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
});
