import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { replaceProfile } from '../functions/profiles/profile-changes';
import { batchWriteAll } from '../functions/shared/batch-write-all';
import type { LocalEndpoints } from '../local/local-stack';

export interface QualityBenchResult {
  /** Profiles the report counted (the bench's own plus whatever earlier sections left). */
  profiles: number;
  /** Baseline: one plain Scan of the whole profiles table, every attribute, page after page. */
  scanSeconds: number;
  /** GET /quality through the local API, the best of two. */
  reportSeconds: number;
  /** scanSeconds / reportSeconds: above 1, the report is faster than just reading the table. */
  ratio: number;
  /** Six GET /quality at once: wall time, and its ratio to six plain scans one after another. */
  sixAtOnceSeconds: number;
  sixAtOnceRatio: number;
  /** Of those six, how many failed (the local runner gives each function 60 s, as the stack does). */
  sixAtOnceErrors: number;
}

/** Profiles shaped as imports leave them: contact fields, consent, provenance per field, aggregates. */
const loadProfiles = async (ddb: DynamoDBDocumentClient, table: string, count: number, tag: string) => {
  const now = new Date().toISOString();
  const items: { PutRequest: { Item: Record<string, unknown> } }[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.now() - (i % 1000) * 86_400_000).toISOString();
    const kind: 'internal' | 'external' = i % 4 === 0 ? 'external' : 'internal';
    const source = { source: kind === 'external' ? 'partner-list' : 'crm', kind, at };
    const profile = replaceProfile(
      `quality-${tag}-${i}`,
      {
        email: `q.${i}@${tag}.example.com`,
        ...(i % 3 === 0 ? { phone: `+4474${String(i).padStart(8, '0')}`, phoneType: 'mobile' as const } : {}),
        firstName: `First${i}`,
        lastName: `Last${i}`,
        city: 'Leeds',
        country: 'GB',
        lastPurchaseAt: at,
        consent: { email: { status: 'granted', source: 'web-form', timestamp: at } },
        provenance: { source: source.source, kind },
      },
      undefined,
      now,
      Object.fromEntries(
        ['email', 'phone', 'firstName', 'lastName', 'city', 'country'].map((f) => [f, source]),
      ),
    );
    items.push({
      PutRequest: {
        Item: {
          ...profile,
          purchases: {
            count: i % 7,
            total: (i % 7) * 42.5,
            first: at,
            last: at,
            byCategory: { music: i % 7 },
          },
        } as Record<string, unknown>,
      },
    });
  }
  const per = Math.ceil(items.length / 4);
  await Promise.all([0, 1, 2, 3].map((w) => batchWriteAll(ddb, table, items.slice(w * per, (w + 1) * per))));
};

const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await work();
  return (performance.now() - t) / 1000;
};

/** GET /quality over `count` generated profiles against a plain full Scan of the same table. */
export const benchQuality = async (endpoints: LocalEndpoints, count: number): Promise<QualityBenchResult> => {
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodbEndpoint,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await loadProfiles(ddb, endpoints.tables.profiles, count, Date.now().toString(36));
  const scan = async () => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await ddb.send(
        new ScanCommand({
          TableName: endpoints.tables.profiles,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  let profiles = 0;
  const report = async () => {
    const res = await fetch(`${endpoints.apiUrl}/quality`, {
      headers: { authorization: `Bearer ${endpoints.apiKey}` },
    });
    if (res.status !== 200) throw new Error(`GET /quality: ${res.status} ${await res.text()}`);
    profiles = ((await res.json()) as { profiles: number }).profiles;
  };
  // Alternated, best of two each (the first of each also warms its path).
  const scans: number[] = [];
  const reports: number[] = [];
  for (let round = 0; round < 2; round++) {
    scans.push(await seconds(scan));
    reports.push(await seconds(report));
  }
  const scanSeconds = Math.min(...scans);
  const reportSeconds = Math.min(...reports);
  let sixAtOnceErrors = 0;
  const sixAtOnceSeconds = await seconds(() =>
    Promise.all(Array.from({ length: 6 }, () => report().catch(() => sixAtOnceErrors++))),
  );
  ddb.destroy();
  return {
    profiles,
    scanSeconds,
    reportSeconds,
    ratio: scanSeconds / reportSeconds,
    sixAtOnceSeconds,
    sixAtOnceRatio: (6 * scanSeconds) / sixAtOnceSeconds,
    sixAtOnceErrors,
  };
};
