/**
 * `npm run bench`: measures Rekindle on this machine against baselines run in the same process on
 * the same emulators, and prints ratios (never absolute targets: machines differ).
 *
 * - profile writes through the local HTTP API (authorizer + handler + uniqueness transaction) at
 *   concurrency 32, against bare PutItem calls on the same DynamoDB Local;
 * - every Lambda bundle, built as the CDK stack builds it: its size, and its cold start in a container
 *   started from it as the local runner starts one (only its template environment), against an empty
 *   handler's.
 * - `npm start` until ready, with an empty bundle cache and with a full one.
 *
 * - a generated messy profile file (100,000 rows) through the drop folder, to completion, against a
 *   bare BatchWriteItem load of the same people, clean, into the same DynamoDB Local;
 * - POST /events (batches of 10 purchases) at concurrency 32 against direct BatchWriteItem of the events;
 * - GET /quality over 30,000 generated profiles against one plain Scan of the same table;
 * - peak memory of a 1,000,000-row import (the pipeline in its own process, stores that keep nothing).
 * - scoring (prepare, fit, score) time and peak memory for the CDNOW master file and for 1,000,000
 *   synthetic customers drawn from the model fitted on it, each run in its own process, vs one Lambda.
 * - campaign runs, each configuration on a local stack of its own: 20,000 recipients at a configured
 *   200/s (achieved / configured, every recipient exactly once); uncapped against the floor of a safe
 *   send (claim, SendEmail, settle, in process at the pipeline's concurrency) and bare SendEmail; the
 *   first message of a 100,000-recipient run; POST /segments/preview over 100,000 profiles against
 *   a bare parallel Scan, and an index-served rule against the scan (bench/campaign-bench.ts).
 *
 * Options: `-- --writes N` (2000), `--import-rows N` (100000), `--memory-rows N` (1000000),
 * `--scoring-customers N` (1000000), `--quality-profiles N` (30000), `--cold-starts N` (5, per bundle),
 * `--campaign-recipients N` (20000), `--campaign-rate N` (200), `--first-message-recipients N` (100000),
 * `--preview-profiles N` (100000), `--preview-rounds N` (2, with `--only preview`),
 * `--only <section>` (profile-writes, import, events, quality, memory, scoring, bundles, start,
 * campaigns, or preview: the campaign section's preview part alone) to run one section.
 * Results also go to `.bench/results.json` (`.bench/results-<section>.json` with `--only`).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { functions } from '../lib/definition';
import { startLocalStack } from '../local/local-stack';
import { bundleTable, measureBundles } from './bundle-sizes';
import { benchCampaigns } from './campaign-bench';
import { benchEvents } from './events-bench';
import { benchImport } from './import-bench';
import { type LoadResult, runLoad } from './load';
import { benchPreviewAlone } from './preview-bench';
import { benchQuality } from './quality-bench';
import { benchScoring } from './scoring-bench';
import { benchStart } from './start-time';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const WRITES = arg('writes', 2000);
const IMPORT_ROWS = arg('import-rows', 100_000);
const EVENT_REQUESTS = arg('event-requests', 500);
const MEMORY_ROWS = arg('memory-rows', 1_000_000);
const SCORING_CUSTOMERS = arg('scoring-customers', 1_000_000);
const QUALITY_PROFILES = arg('quality-profiles', 30_000);
const COLD_STARTS = arg('cold-starts', 5);
const CAMPAIGN_RECIPIENTS = arg('campaign-recipients', 20_000);
const CAMPAIGN_RATE = arg('campaign-rate', 200);
const FIRST_MESSAGE_RECIPIENTS = arg('first-message-recipients', 100_000);
const PREVIEW_PROFILES = arg('preview-profiles', 100_000);
const PREVIEW_ROUNDS = arg('preview-rounds', 2);
const CONCURRENCY = 32;
const onlyAt = process.argv.indexOf('--only');
const runs = (section: string) => onlyAt < 0 || process.argv[onlyAt + 1] === section;

const row = (name: string, r: LoadResult) =>
  `${name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)}`;

const main = async () => {
  const results: Record<string, unknown> = {
    machine: { node: process.version },
    writes: WRITES,
    concurrency: CONCURRENCY,
  };
  // The sections that need the local stack (emulators and functions); the others run without it.
  if (['quality', 'profile-writes', 'import', 'events'].some(runs)) await stackSections(results);
  await otherSections(results);
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    onlyAt < 0 ? '.bench/results.json' : `.bench/results-${process.argv[onlyAt + 1]}.json`,
    `${JSON.stringify(results, null, 2)}\n`,
  );
};

const stackSections = async (results: Record<string, unknown>) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-bench-'));
  const stack = await startLocalStack({ apiPort: 0, schedules: false, dataDir });
  try {
    const { endpoints } = stack;
    const ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: endpoints.dynamodbEndpoint,
        region: endpoints.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const run = Date.now().toString(36);
    const now = new Date().toISOString();
    const profile = (i: number, prefix: string) => ({
      email: `${prefix}-${run}-${i}@bench.example.com`,
      firstName: `Bench ${i}`,
      lastPurchaseAt: now,
      consent: { email: { status: 'granted', source: 'bench', timestamp: now } },
    });

    // First, while the profiles table holds only its own profiles (the import section adds 350,000).
    if (runs('quality')) {
      const quality = await benchQuality(endpoints, QUALITY_PROFILES);
      console.log(
        `\nGET /quality over ${quality.profiles} profiles (${QUALITY_PROFILES} generated) vs one plain Scan of the whole table`,
      );
      console.log(
        `report: ${quality.reportSeconds.toFixed(2)} s; plain scan: ${quality.scanSeconds.toFixed(2)} s; ratio scan / report: ${quality.ratio.toFixed(2)}`,
      );
      console.log(
        `six reports at once: ${quality.sixAtOnceSeconds.toFixed(2)} s; ratio six scans in a row / six reports at once: ${quality.sixAtOnceRatio.toFixed(2)}; failed: ${quality.sixAtOnceErrors}`,
      );
      results.quality = quality;
    }

    if (runs('profile-writes')) {
      // Warm both paths (JIT, connection pools, the handlers' cold start).
      await runLoad(200, CONCURRENCY, async (i) => {
        await ddb.send(
          new PutCommand({
            TableName: endpoints.tables.profiles,
            Item: { profileId: `warm-${i}`, ...profile(i, 'warm-direct') },
          }),
        );
        return true;
      });
      await runLoad(200, CONCURRENCY, async (i) => {
        const res = await fetch(`${endpoints.apiUrl}/profiles/warm-api-${run}-${i}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${endpoints.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(profile(i, 'warm-api')),
        });
        await res.arrayBuffer();
        return res.status === 201;
      });

      const direct = await runLoad(WRITES, CONCURRENCY, async (i) => {
        await ddb.send(
          new PutCommand({
            TableName: endpoints.tables.profiles,
            Item: { profileId: `direct-${run}-${i}`, version: 1, ...profile(i, 'direct') },
          }),
        );
        return true;
      });
      const api = await runLoad(WRITES, CONCURRENCY, async (i) => {
        const res = await fetch(`${endpoints.apiUrl}/profiles/api-${run}-${i}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${endpoints.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(profile(i, 'api')),
        });
        await res.arrayBuffer();
        return res.status === 201;
      });

      console.log(
        `\nProfile writes, ${WRITES} each at concurrency ${CONCURRENCY} (same DynamoDB Local, same run)`,
      );
      console.log(
        `${'path'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
      );
      console.log(row('baseline: PutItem (DocumentClient)', direct));
      console.log(row('PUT /profiles/{id} via local API', api));
      const ratio = api.perSecond / direct.perSecond;
      console.log(
        `ratio API / baseline throughput: ${ratio.toFixed(3)}  (p99 ${(api.p99Ms / direct.p99Ms).toFixed(2)}x)`,
      );
      console.log(
        '  (each API write = authorizer key lookup + profile read + a TransactWriteItems with uniqueness markers)',
      );
      results.profileWrites = { baseline: direct, api, throughputRatio: ratio };
    }

    if (runs('import')) {
      const imported = await benchImport(endpoints, IMPORT_ROWS);
      console.log(
        `\nMessy profile file through the drop folder (${IMPORT_ROWS} rows) vs bare BatchWriteItem of the clean rows`,
      );
      console.log(
        `import:   ${imported.importRowsPerSecond.toFixed(0)} rows/s (${imported.importSeconds.toFixed(1)} s; ${JSON.stringify(imported.counts)})`,
      );
      console.log(
        `baseline: ${imported.baselineItemsPerSecond.toFixed(0)} rows/s (${imported.baselineItems} clean rows, 4 writers)`,
      );
      console.log(`ratio import / baseline: ${imported.ratio.toFixed(3)}`);
      console.log(
        `baseline with markers: ${imported.withMarkersRowsPerSecond.toFixed(0)} rows/s (${imported.withMarkersItems} items: profiles + email/phone uniqueness markers, bare)`,
      );
      console.log(`ratio import / baseline with markers: ${imported.ratioWithMarkers.toFixed(3)}`);
      console.log(
        `floor: ${imported.floorRowsPerSecond.toFixed(0)} rows/s (the same items as a safe import must write them at least: markers claimed in transactions of 100, then the profiles, bare)`,
      );
      console.log(`ratio import / floor: ${imported.ratioFloor.toFixed(3)}  (the pipeline's own overhead)`);
      results.profileImport = imported;
    }

    if (runs('events')) {
      const events = await benchEvents(endpoints, EVENT_REQUESTS);
      console.log(
        `\nPOST /events, ${EVENT_REQUESTS} requests of ${events.eventsPerRequest} purchases at concurrency 32, vs direct BatchWriteItem of the same event items`,
      );
      console.log(
        `${'path'.padEnd(34)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
      );
      for (const [name, r] of [
        ['baseline: BatchWriteItem', events.direct],
        ['POST /events via local API', events.api],
      ] as const) {
        console.log(
          `${name.padEnd(34)} ${r.eventsPerSecond.toFixed(0).padStart(9)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)}`,
        );
      }
      console.log(
        `ratio API / baseline throughput: ${events.ratio.toFixed(3)}  (each batch also resolves profiles, checks idempotency and refreshes purchase aggregates)`,
      );
      results.events = events;
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const otherSections = async (results: Record<string, unknown>) => {
  if (runs('memory')) {
    // Under the heap limit the import functions run with in AWS (maxHeapMb in lib/definition.ts).
    const heapMb = functions.find((f) => f.name === 'import-profiles')?.maxHeapMb;
    if (!heapMb) throw new Error('import-profiles declares no maxHeapMb');
    const memoryLine = execFileSync(
      process.execPath,
      [`--max-old-space-size=${heapMb}`, '--import', 'tsx', 'bench/import-memory.ts', String(MEMORY_ROWS)],
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      },
    )
      .trim()
      .split('\n')
      .pop()!;
    const memory = JSON.parse(memoryLine) as { maxRssMb: number; seconds: number; rowsPerSecond: number };
    console.log(
      `\nPeak memory of a ${MEMORY_ROWS}-row import (pipeline in its own process, heap limit ${heapMb} MB as in Lambda): ${memory.maxRssMb} MB RSS, ${memory.rowsPerSecond} rows/s without a database`,
    );
    results.importMemory = memory;
  }

  if (runs('scoring')) results.scoring = await benchScoring(SCORING_CUSTOMERS);

  // Each configuration starts a local stack of its own (settings are read when a stack starts).
  if (runs('campaigns'))
    results.campaigns = await benchCampaigns({
      recipients: CAMPAIGN_RECIPIENTS,
      rate: CAMPAIGN_RATE,
      firstMessageRecipients: FIRST_MESSAGE_RECIPIENTS,
      previewProfiles: PREVIEW_PROFILES,
    });

  if (runs('preview') && onlyAt >= 0)
    results.preview = await benchPreviewAlone(PREVIEW_PROFILES, PREVIEW_ROUNDS);

  if (runs('bundles')) {
    const bundles = await measureBundles(COLD_STARTS);
    console.log(
      `\nLambda bundles (esbuild, minified ESM, as the CDK stack builds them) and their cold starts: median of ${bundles.starts} starts of a container`,
    );
    console.log(
      '  with only the template environment and the memory as heap limit, as the local runner starts one; init = loading the bundle until the handler is there,',
    );
    console.log(
      "  ready = from starting the container's process to ready; / floor = ready over an empty handler's, bundled and started the same way",
    );
    console.log(bundleTable(bundles));
    results.bundles = bundles;
  }

  if (runs('start')) {
    const start = await benchStart();
    console.log('\nnpm start until the "Rekindle is running locally" banner (own emulators, in memory)');
    for (const [name, r] of [
      ['empty bundle cache', start.cold],
      ['full bundle cache', start.warm],
    ] as const) {
      console.log(
        `${name.padEnd(20)} ready ${(r.readyMs / 1000).toFixed(1).padStart(5)} s; first GET /profiles ${(r.firstRequestMs / 1000).toFixed(2)} s (${r.firstRequestStatus}); every bundle up to date at ${(r.bundlesUpToDateMs / 1000).toFixed(1)} s`,
      );
      console.log(`${''.padEnd(20)} ${r.bundlesLine}`);
    }
    results.start = start;
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
