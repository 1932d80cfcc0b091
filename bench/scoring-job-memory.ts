/**
 * The whole scoring job (workOnScoringRun) in its own process, so that its peak RSS is its own (run
 * by bench/scoring-bench.ts under the same heap limit as the fit-and-score measurement; the last line
 * printed is JSON). Everything the job does except DynamoDB I/O:
 *
 * - the purchase history is served from memory in the column form DynamoDbPurchaseHistory
 *   produces: `customerIds` with one fresh string per row (as items read from DynamoDB: no two rows
 *   share a string), `at` and `amount` as number arrays grown by push, rows after `until` left out
 *   (the Scan's filter); `profileIds()` gives the purchasers plus `--prospects` (default 10 %) more
 *   profiles without purchases, fresh strings again, in a shuffled order (a Scan's order);
 * - ids are 36-character UUIDs (profile ids are randomUUID()) unless `--ids short` (the generator's
 *   own ids: `S0000001`, or CDNOW's `00001`);
 * - scores go through the real DynamoDbScoreWriter (one UpdateItem input per profile, 32 in flight)
 *   over a client that serialises each command's input to JSON (`--serialise none`: not even that),
 *   counts it and discards it;
 * - the run store is the in-memory one of the tests, `remainingMs` is always 900 s (never hands over).
 *
 * The data (the CDNOW master file, or the synthetic population) are loaded first; the history
 * object drops them once it has served both reads, as a Lambda would never have held them.
 *
 *   node --import tsx bench/scoring-job-memory.ts cdnow <CDNOW_master.txt> [--ids uuid|short] [--serialise json|none] [--prospects 0.1]
 *   node --import tsx bench/scoring-job-memory.ts synthetic <customers> <seed> '<{"bgNbd":…,"gammaGamma":…}>' [options]
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbScoreWriter } from '../functions/scoring-job/dynamodb-score-writer.ts';
import {
  InMemoryScoringRunStore,
  RecordingOps,
} from '../functions/scoring-job/in-memory-scoring.test-helpers.ts';
import type { PurchaseHistory, PurchaseRows } from '../functions/scoring-job/purchase-history.ts';
import { requestScoringRun } from '../functions/scoring-job/request-scoring-run.ts';
import { workOnScoringRun } from '../functions/scoring-job/run-scoring.ts';
import type { ProfileScoreEntry, ScoreWriter } from '../functions/scoring-job/score-writer.ts';
import type { ScoringRun } from '../functions/scoring-job/scoring-run.ts';
import { CDNOW_CALIBRATION, Random, readCdnow, syntheticPopulation } from './synthetic-population.ts';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round = (ms: number) => Math.round(ms * 10) / 10;
const flag = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
};
const idShape = flag('ids', 'uuid');
const serialise = flag('serialise', 'json');
const prospectShare = Number(flag('prospects', '0.1'));
if (idShape !== 'uuid' && idShape !== 'short') throw new Error('--ids uuid|short');
if (serialise !== 'json' && serialise !== 'none') throw new Error('--serialise json|none');

/** Rows in columns (row k: customer[k] at timestamp[k] for amount[k]) and every profile's id as bytes. */
interface Source {
  purchasers: number;
  profiles: number;
  rows: number;
  customer: Int32Array;
  timestamp: Float64Array;
  amount: Float64Array;
  /** Writes the id of profile c (purchasers first, then prospects) into `into`; returns its length. */
  writeId: (c: number, into: Buffer) => number;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Deterministic version-4-shaped UUIDs, 16 random bytes per profile. */
const uuids = (profiles: number, seed: number) => {
  const random = new Random(seed ^ 0x5eed);
  const words = new Uint32Array(4 * profiles);
  for (let i = 0; i < words.length; i++) words[i] = random.nextUint32();
  const bytes = new Uint8Array(words.buffer);
  return (c: number, into: Buffer): number => {
    let at = 0;
    for (let j = 0; j < 16; j++) {
      let b = bytes[16 * c + j]!;
      if (j === 6) b = (b & 0x0f) | 0x40;
      else if (j === 8) b = (b & 0x3f) | 0x80;
      const h = HEX[b]!;
      into[at++] = h.charCodeAt(0);
      into[at++] = h.charCodeAt(1);
      if (j === 3 || j === 5 || j === 7 || j === 9) into[at++] = 45; // '-'
    }
    return at;
  };
};

/** Short ids as given, prospects as P plus the same width. */
const given = (ids: readonly string[], width: number) => {
  return (c: number, into: Buffer): number => {
    const id = c < ids.length ? ids[c]! : `P${String(c - ids.length + 1).padStart(width, '0')}`;
    return into.write(id, 0, 'latin1');
  };
};

const [kind, ...rest] = process.argv.slice(2);
const seed = kind === 'synthetic' ? Number(rest[1]) : 1;
const loadStarted = performance.now();
const load = (): Source => {
  if (kind === 'cdnow') {
    const parsed = readCdnow(readFileSync(rest[0]!, 'utf8'));
    const index = new Map<string, number>();
    const ids: string[] = [];
    const customer = new Int32Array(parsed.length);
    const timestamp = new Float64Array(parsed.length);
    const amount = new Float64Array(parsed.length);
    parsed.forEach((t, k) => {
      let c = index.get(t.customerId);
      if (c === undefined) {
        c = ids.length;
        index.set(t.customerId, c);
        ids.push(t.customerId);
      }
      customer[k] = c;
      timestamp[k] = t.timestamp as number;
      amount[k] = t.amount;
    });
    const profiles = ids.length + Math.round(ids.length * prospectShare);
    return {
      purchasers: ids.length,
      profiles,
      rows: parsed.length,
      customer,
      timestamp,
      amount,
      writeId: idShape === 'uuid' ? uuids(profiles, seed) : given(ids, 5),
    };
  }
  if (kind === 'synthetic') {
    const model = JSON.parse(rest[2]!);
    const population = syntheticPopulation({
      customers: Number(rest[0]),
      seed,
      bgNbd: model.bgNbd,
      gammaGamma: model.gammaGamma,
      cutoff: CDNOW_CALIBRATION.cutoff,
    });
    const purchasers = population.ids.length;
    const profiles = purchasers + Math.round(purchasers * prospectShare);
    return {
      purchasers,
      profiles,
      rows: population.rows,
      customer: population.customer,
      timestamp: population.timestamp,
      amount: population.amount,
      writeId: idShape === 'uuid' ? uuids(profiles, seed) : given(population.ids, String(purchasers).length),
    };
  }
  throw new Error('usage: scoring-job-memory.ts cdnow <file> | synthetic <customers> <seed> <model JSON>');
};

/**
 * The history as DynamoDbPurchaseHistory returns it, built from the source on each call (the
 * adapter's in-memory work: a fresh id string and two pushes per row); the source is dropped once
 * both calls have been served.
 */
class ColumnHistory implements PurchaseHistory {
  private served = 0;
  private readonly scratch = Buffer.alloc(64);
  constructor(private source: Source | undefined) {}

  private id(c: number): string {
    const length = this.source!.writeId(c, this.scratch);
    return this.scratch.toString('latin1', 0, length); // a new flat string each time
  }

  async read(options: { readonly until: string; readonly receivedBefore: string }): Promise<PurchaseRows> {
    const { rows, customer, timestamp, amount: amounts } = this.source!;
    const until = Date.parse(options.until);
    const customerIds: string[] = [];
    const at: number[] = [];
    const amount: number[] = [];
    for (let k = 0; k < rows; k++) {
      if (!(timestamp[k]! <= until)) continue;
      customerIds.push(this.id(customer[k]!));
      at.push(timestamp[k]!);
      amount.push(amounts[k]!);
    }
    this.done();
    return { customerIds, at, amount, unconverted: 0 };
  }

  async profileIds(): Promise<string[]> {
    const { profiles } = this.source!;
    const order = new Int32Array(profiles);
    for (let i = 0; i < profiles; i++) order[i] = i;
    const random = new Random(seed + 1);
    for (let i = profiles - 1; i > 0; i--) {
      const j = Math.floor(random.uniform() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const ids: string[] = [];
    for (let i = 0; i < profiles; i++) ids.push(this.id(order[i]!));
    this.done();
    return ids;
  }

  private done() {
    if (++this.served === 2) this.source = undefined;
  }
}

/** What the real writer sends: each UpdateItem input serialised (or not), counted and dropped. */
class DiscardingClient {
  commands = 0;
  bytes = 0;
  serialiseMs = 0;
  async send(command: { input: unknown }): Promise<Record<string, never>> {
    this.commands++;
    if (serialise === 'json') {
      const t0 = performance.now();
      this.bytes += JSON.stringify(command.input).length;
      this.serialiseMs += performance.now() - t0;
    }
    return {};
  }
}

/** The writer's own time, apart from building the entries (profileScoresOf, in the job). */
class TimedWriter implements ScoreWriter {
  ms = 0;
  entries = 0;
  constructor(private readonly inner: ScoreWriter) {}
  async write(entries: readonly ProfileScoreEntry[]) {
    const t0 = performance.now();
    const counts = await this.inner.write(entries);
    this.ms += performance.now() - t0;
    this.entries += entries.length;
    return counts;
  }
}

/** The in-memory run store, sampling memory at each save (after evaluate, then at each checkpoint). */
class SamplingRunStore extends InMemoryScoringRunStore {
  rssAtWritingMb = 0;
  heapAtWritingMb = 0;
  maxRssWhileWritingMb = 0;
  maxHeapWhileWritingMb = 0;
  saves = 0;
  override async checkpoint(runId: string, owner: string, run: Partial<ScoringRun>, leaseMs: number) {
    this.saves++;
    const { rss, heapUsed } = process.memoryUsage();
    if (run.status === 'writing' && this.rssAtWritingMb === 0) {
      this.rssAtWritingMb = mb(rss);
      this.heapAtWritingMb = mb(heapUsed);
    }
    if (run.status === 'writing') {
      this.maxRssWhileWritingMb = Math.max(this.maxRssWhileWritingMb, mb(rss));
      this.maxHeapWhileWritingMb = Math.max(this.maxHeapWhileWritingMb, mb(heapUsed));
    }
    return super.checkpoint(runId, owner, run, leaseMs);
  }
}

// The source is only reachable through the history from here on (dropped after both reads).
const { history, purchasers, profiles, sourceRows, fingerprint } = (() => {
  const source = load();
  let sum = 0;
  for (let k = 0; k < source.rows; k++) sum += source.amount[k]!;
  return {
    history: new ColumnHistory(source),
    purchasers: source.purchasers,
    profiles: source.profiles,
    sourceRows: source.rows,
    fingerprint: Math.round(sum * 100) / 100,
  };
})();
const loadMs = performance.now() - loadStarted;
const rssAfterLoadMb = mb(process.memoryUsage.rss());

const runs = new SamplingRunStore();
const client = new DiscardingClient();
const scores = new TimedWriter(
  new DynamoDbScoreWriter(client as unknown as DynamoDBDocumentClient, 'profiles-bench'),
);
const ops = new RecordingOps();
const queued = await requestScoringRun(
  { runs, enqueue: async () => {} },
  { asOf: CDNOW_CALIBRATION.cutoff, timeUnit: CDNOW_CALIBRATION.timeUnit },
  { timeUnit: CDNOW_CALIBRATION.timeUnit },
);

const started = performance.now();
const step = await workOnScoringRun(
  {
    runs,
    history,
    scores,
    ops,
    continueLater: async () => {
      throw new Error('the bench run handed over: remainingMs is meant to be always large');
    },
    remainingMs: () => 900_000,
    owner: 'bench',
    baseCurrency: 'USD',
    options: {},
    driftThreshold: 0.2,
  },
  queued.runId,
);
const totalMs = performance.now() - started;
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

const run = (await runs.get(queued.runId))!;
if (step.outcome !== 'finished' || run.status !== 'succeeded')
  throw new Error(`the run did not finish: ${step.outcome}, ${run.status} ${run.error ?? ''}`);
if (run.progress?.written !== profiles || client.commands !== profiles)
  throw new Error(`written ${run.progress?.written}, sent ${client.commands}, profiles ${profiles}`);
const timings = run.timingsMs ?? {};
const phases = ['read', 'prepare', 'fitAndScore', 'evaluate', 'write'] as const;
const phaseSum = phases.reduce((s, p) => s + (timings[p] ?? 0), 0);

console.log(
  JSON.stringify({
    source: kind,
    idShape,
    serialise,
    purchasers,
    prospects: profiles - purchasers,
    profiles,
    rows: sourceRows,
    transactions: run.data?.transactions,
    fingerprint,
    loadMs: round(loadMs),
    totalMs: round(totalMs),
    timingsMs: Object.fromEntries(phases.map((p) => [p, timings[p] ?? 0])),
    /** Outside the phases: claim, run saves, sorting the profiles by id before writing. */
    otherMs: round(totalMs - phaseSum),
    /** Of the write phase: the writer (UpdateItem inputs, JSON); the rest is building the entries. */
    writerMs: round(scores.ms),
    serialiseMs: round(client.serialiseMs),
    serialisedMb: Math.round((client.bytes / 1024 / 1024) * 10) / 10,
    saves: runs.saves,
    rssAfterLoadMb,
    rssAtWritingMb: runs.rssAtWritingMb,
    heapAtWritingMb: runs.heapAtWritingMb,
    maxRssWhileWritingMb: runs.maxRssWhileWritingMb,
    maxHeapWhileWritingMb: runs.maxHeapWhileWritingMb,
    maxRssMb,
    heapLimitMb: mb(getHeapStatistics().heap_size_limit),
    data: run.data,
    fit: run.fit,
    progress: run.progress,
  }),
);
