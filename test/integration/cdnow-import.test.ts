import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { importIdOf } from '../../functions/imports/import-file';
import { manifestKeyFor } from '../../functions/ingest/manifest';
import { api, documentClient, endpoints, eventually, s3 } from './support';

/**
 * The CDNOW master file (69,659 rows, 23,570 customers), uploaded unchanged with its manifest,
 * imported end to end; the aggregates are checked against figures computed here from the raw file
 * with a parser of this test's own.
 */
const file = readFileSync(new URL('../fixtures/cdnow/CDNOW_master.txt', import.meta.url));
const manifest = readFileSync(new URL('../../examples/cdnow.manifest.json', import.meta.url));
const key = 'imports/transactions/cdnow/CDNOW_master.txt';

interface Expected {
  cents: number;
  rows: number;
  days: Set<string>;
  first: string;
  last: string;
}

/** Per customer id: spend in cents, rows, distinct purchase days, first and last day (YYYY-MM-DD). */
const expectedFromRawFile = (): Map<string, Expected> => {
  const customers = new Map<string, Expected>();
  const lines = file.toString('latin1').split('\r\n');
  expect(lines[0]!.trim().split(/ +/)).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value']);
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const [id, date, , dollars] = line.trim().split(/ +/);
    const [whole, fraction = ''] = dollars!.split('.');
    const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
    const day = `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}`;
    const c = customers.get(id!) ?? { cents: 0, rows: 0, days: new Set<string>(), first: day, last: day };
    c.cents += cents;
    c.rows++;
    c.days.add(day);
    if (day < c.first) c.first = day;
    if (day > c.last) c.last = day;
    customers.set(id!, c);
  }
  return customers;
};

const scanCdnowProfiles = async (): Promise<Map<string, any>> => {
  const byExternalId = new Map<string, any>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({
        TableName: endpoints().tables.profiles,
        FilterExpression: 'provenance.#source = :cdnow',
        ExpressionAttributeNames: { '#source': 'source' },
        ExpressionAttributeValues: { ':cdnow': 'cdnow' },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      expect(byExternalId.has(item.externalId)).toBe(false);
      byExternalId.set(item.externalId, item);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return byExternalId;
};

const cents = (dollars: number) => Math.round(dollars * 100);

describe('CDNOW transaction import', () => {
  it('imports the master file end to end with aggregates that match the raw file', {
    timeout: 900_000,
  }, async () => {
    const expected = expectedFromRawFile();
    expect(expected.size).toBe(23_570);

    const bucket = endpoints().bucket;
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: manifestKeyFor(key), Body: manifest }));
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file }));
    const eTag = (put.ETag ?? '').replace(/"/g, '');
    const importId = importIdOf({ bucket, key, eTag, size: file.length });

    const result = await eventually(
      async () => {
        const res = await api('GET', `/imports/${importId}`);
        return res.status === 200 && res.json.status !== 'running' ? res.json : undefined;
      },
      840_000,
      `import ${importId}`,
    );
    expect(result).toMatchObject({ status: 'completed', kind: 'transactions' });
    expect(result.counts).toMatchObject({
      rowsRead: 69_659,
      createdProfile: 23_570,
      recorded: 69_659 - 23_570,
      duplicate: 0,
      rejected: 0,
    });

    const profiles = await scanCdnowProfiles();
    expect(profiles.size).toBe(23_570);

    // Every customer, exactly: spend, occasions (distinct UTC days), first and last purchase.
    let totalCents = 0;
    let totalOccasions = 0;
    let expectedCents = 0;
    let expectedOccasions = 0;
    const mismatches: string[] = [];
    for (const [id, want] of expected) {
      const profile = profiles.get(id);
      const got = profile?.purchases;
      expectedCents += want.cents;
      expectedOccasions += want.days.size;
      if (!got) {
        mismatches.push(`${id}: no profile or no aggregates`);
        continue;
      }
      totalCents += cents(got.totalSpend);
      totalOccasions += got.occasions;
      const actual = [
        cents(got.totalSpend),
        got.occasions,
        got.eventCount,
        got.firstPurchaseAt,
        got.lastPurchaseAt,
      ];
      const wanted = [
        want.cents,
        want.days.size,
        want.rows,
        `${want.first}T00:00:00.000Z`,
        `${want.last}T00:00:00.000Z`,
      ];
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        mismatches.push(`${id}: got ${JSON.stringify(actual)}, want ${JSON.stringify(wanted)}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(totalCents).toBe(expectedCents);
    expect(totalOccasions).toBe(expectedOccasions);

    // A few hundred random customers through the API, as a client reads them.
    const ids = [...expected.keys()];
    const sample = Array.from({ length: 300 }, () => ids[Math.floor(Math.random() * ids.length)]!);
    for (let i = 0; i < sample.length; i += 10) {
      await Promise.all(
        sample.slice(i, i + 10).map(async (id) => {
          const want = expected.get(id)!;
          const res = await api('GET', `/profiles/${encodeURIComponent(profiles.get(id).profileId)}`);
          expect(res.status).toBe(200);
          expect(res.json).toMatchObject({
            externalId: id,
            version: 1,
            provenance: { kind: 'internal', source: 'cdnow' },
            lastPurchaseAt: `${want.last}T00:00:00.000Z`,
            lastActivityAt: `${want.last}T00:00:00.000Z`,
            purchases: {
              currency: 'USD',
              occasions: want.days.size,
              eventCount: want.rows,
              refunds: 0,
              firstPurchaseAt: `${want.first}T00:00:00.000Z`,
              lastPurchaseAt: `${want.last}T00:00:00.000Z`,
            },
          });
          expect(cents(res.json.purchases.totalSpend)).toBe(want.cents);
          expect(cents(res.json.purchases.averageSpend)).toBe(Math.round(want.cents / want.days.size));
        }),
      );
    }
  });
});
