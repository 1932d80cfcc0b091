import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { importIdOf } from '../functions/imports/import-file';
import { replaceProfile } from '../functions/profiles/profile-changes';
import { batchWriteAll } from '../functions/shared/batch-write-all';
import type { LocalEndpoints } from '../local/local-stack';

/**
 * A messy profile file of `rows` rows: mixed case and padded emails, national-format phones,
 * repeats of earlier people in other spellings (merged), invalid emails and rows with no identifier
 * (rejected), formula cells, quoted fields with commas.
 */
export const messyProfileFile = (rows: number, tag: string): { csv: string; cleanRows: number } => {
  const out = ['email,phone,First Name,Last Name,city,tags,lastPurchaseAt,attributes.note'];
  let cleanRows = 0;
  for (let i = 1; i <= rows; i++) {
    if (i % 97 === 0) {
      out.push(`broken-${i}.example.com,,Bad,Email,,,,`);
      continue;
    }
    if (i % 89 === 0) {
      out.push(`,,No,Identifier,,,,`);
      continue;
    }
    const person = i % 11 === 0 ? i - 5 : i;
    if (i % 11 !== 0) cleanRows++;
    const email =
      i % 11 === 0
        ? `  Person.${person}@${tag.toUpperCase()}.Example.COM `
        : `person.${person}@${tag}.example.com`;
    const phone = i % 3 === 0 ? `07400 ${String(person % 1_000_000).padStart(6, '0')}` : '';
    const note = i % 13 === 0 ? '"=HYPERLINK(""http://x"",""y"")"' : i % 7 === 0 ? '"likes jazz, rock"' : '';
    out.push(
      [
        email,
        phone,
        `First${person}`,
        `Last${person}`,
        ['Leeds', 'York', 'Hull'][i % 3],
        'vip;new',
        `2025-0${1 + (i % 9)}-15`,
        note,
      ].join(','),
    );
  }
  return { csv: `${out.join('\r\n')}\r\n`, cleanRows };
};

export interface ImportBenchResult {
  rows: number;
  importSeconds: number;
  importRowsPerSecond: number;
  baselineItems: number;
  baselineSeconds: number;
  baselineItemsPerSecond: number;
  ratio: number;
  /** BatchWriteItem of the same items the import writes: profiles and their uniqueness markers. */
  withMarkersItems: number;
  withMarkersSeconds: number;
  withMarkersRowsPerSecond: number;
  /** import rows/s over the with-markers baseline's rows/s. */
  ratioWithMarkers: number;
  /** The same items written as a safe import must at least: markers claimed conditionally in transactions, then the profiles. */
  floorSeconds: number;
  floorRowsPerSecond: number;
  /** import rows/s over the floor's rows/s: the pipeline's own overhead. */
  ratioFloor: number;
  counts: Record<string, number>;
}

/**
 * The messy file through the drop folder (S3 -> SQS -> import function, to completion) against a
 * bare BatchWriteItem load of the same people, already clean, into the same DynamoDB Local.
 */
export const benchImport = async (endpoints: LocalEndpoints, rows: number): Promise<ImportBenchResult> => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const s3 = new S3Client({
    endpoint: endpoints.s3Endpoint,
    region: endpoints.region,
    credentials,
    forcePathStyle: true,
  });
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: endpoints.dynamodbEndpoint, region: endpoints.region, credentials }),
  );
  const tag = `b${Date.now().toString(36)}`;
  const { csv } = messyProfileFile(rows, tag);
  const key = `imports/profiles/bench-${tag}.csv`;

  const t0 = performance.now();
  const put = await s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: key, Body: csv }));
  const importId = importIdOf({
    bucket: endpoints.bucket,
    key,
    eTag: (put.ETag ?? '').replace(/"/g, ''),
    size: csv.length,
  });
  let record: { status: string; counts: Record<string, number> } | undefined;
  for (;;) {
    const res = await fetch(`${endpoints.apiUrl}/imports/${importId}`, {
      headers: { authorization: `Bearer ${endpoints.apiKey}` },
    });
    if (res.status === 200) {
      record = (await res.json()) as typeof record;
      if (record?.status !== 'running') break;
    } else await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
  }
  const importSeconds = (performance.now() - t0) / 1000;

  // Baseline: the same people, clean, as bare profile items: BatchWriteItem, 4 writers.
  const now = new Date().toISOString();
  const items: { PutRequest: { Item: Record<string, unknown> } }[] = [];
  for (let i = 1; i <= rows; i++) {
    if (i % 97 === 0 || i % 89 === 0 || i % 11 === 0) continue;
    items.push({
      PutRequest: {
        Item: replaceProfile(
          `base-${tag}-${i}`,
          {
            email: `base.${i}@${tag}.example.com`,
            firstName: `First${i}`,
            lastName: `Last${i}`,
            city: 'Leeds',
            tags: ['vip', 'new'],
          },
          undefined,
          now,
        ) as unknown as Record<string, unknown>,
      },
    });
  }
  const t1 = performance.now();
  const per = Math.ceil(items.length / 4);
  await Promise.all(
    [0, 1, 2, 3].map((w) =>
      batchWriteAll(ddb, endpoints.tables.profiles, items.slice(w * per, (w + 1) * per)),
    ),
  );
  const baselineSeconds = (performance.now() - t1) / 1000;
  // The clean people as the import stores them: a profile and its email/phone uniqueness markers.
  const stored = (prefix: string) => {
    const profiles: { PutRequest: { Item: Record<string, unknown> } }[] = [];
    const markers: Record<string, unknown>[] = [];
    for (let i = 1; i <= rows; i++) {
      if (i % 97 === 0 || i % 89 === 0 || i % 11 === 0) continue;
      const profileId = `${prefix}-${tag}-${i}`;
      const email = `${prefix}.${i}@${tag}.example.com`;
      const fields = {
        email,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        city: 'Leeds',
        tags: ['vip', 'new'],
      };
      profiles.push({
        PutRequest: {
          Item: replaceProfile(profileId, fields, undefined, now) as unknown as Record<string, unknown>,
        },
      });
      markers.push({ identifier: `email#${email}`, profileId, kind: 'email' });
      if (i % 3 === 0) markers.push({ identifier: `phone#+44${prefix}${tag}${i}`, profileId, kind: 'phone' });
    }
    return { profiles, markers };
  };
  // Second baseline: what the import stores per row, profile and markers, written bare.
  const marked = stored('mark');
  const withMarkers = [
    ...marked.profiles.map((r) => ({ table: endpoints.tables.profiles, item: r.PutRequest.Item })),
    ...marked.markers.map((item) => ({ table: endpoints.tables.identifiers, item })),
  ];
  const t2 = performance.now();
  const byTable = (table: string) =>
    withMarkers.filter((w) => w.table === table).map((w) => ({ PutRequest: { Item: w.item } }));
  const writers = [...byTable(endpoints.tables.profiles), ...byTable(endpoints.tables.identifiers)];
  const tables = [
    ...Array(byTable(endpoints.tables.profiles).length).fill(endpoints.tables.profiles),
    ...Array(byTable(endpoints.tables.identifiers).length).fill(endpoints.tables.identifiers),
  ] as string[];
  const per2 = Math.ceil(writers.length / 4);
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      const slice = writers.slice(w * per2, (w + 1) * per2);
      const sliceTables = tables.slice(w * per2, (w + 1) * per2);
      for (const table of new Set(sliceTables)) {
        await batchWriteAll(
          ddb,
          table,
          slice.filter((_, k) => sliceTables[k] === table),
        );
      }
    }),
  );
  const withMarkersSeconds = (performance.now() - t2) / 1000;
  // Third: the least a safe import must write, bare: the same profiles and markers, each marker
  // claimed on the condition that it is absent (transactions of 100, 4 writers), then the profiles
  // with BatchWriteItem (4 writers). What the import adds on top is reading, cleaning, planning,
  // journalling and progress.
  const floor = stored('floor');
  const t3 = performance.now();
  const markerGroups: Record<string, unknown>[][] = [];
  for (let i = 0; i < floor.markers.length; i += 100) markerGroups.push(floor.markers.slice(i, i + 100));
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      for (let g = w; g < markerGroups.length; g += 4) {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: markerGroups[g]!.map((Item) => ({
              Put: {
                TableName: endpoints.tables.identifiers,
                Item,
                ConditionExpression: 'attribute_not_exists(identifier)',
              },
            })),
          }),
        );
      }
    }),
  );
  const per3 = Math.ceil(floor.profiles.length / 4);
  await Promise.all(
    [0, 1, 2, 3].map((w) =>
      batchWriteAll(ddb, endpoints.tables.profiles, floor.profiles.slice(w * per3, (w + 1) * per3)),
    ),
  );
  const floorSeconds = (performance.now() - t3) / 1000;
  const cleanRows = items.length;
  return {
    rows,
    importSeconds,
    importRowsPerSecond: rows / importSeconds,
    baselineItems: cleanRows,
    baselineSeconds,
    baselineItemsPerSecond: cleanRows / baselineSeconds,
    ratio: rows / importSeconds / (cleanRows / baselineSeconds),
    withMarkersItems: withMarkers.length,
    withMarkersSeconds,
    withMarkersRowsPerSecond: cleanRows / withMarkersSeconds,
    ratioWithMarkers: rows / importSeconds / (cleanRows / withMarkersSeconds),
    floorSeconds,
    floorRowsPerSecond: cleanRows / floorSeconds,
    ratioFloor: rows / importSeconds / (cleanRows / floorSeconds),
    counts: record?.counts ?? {},
  };
};
