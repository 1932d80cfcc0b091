/**
 * Scoring at scale: fit-and-score time and peak memory for the CDNOW master file (23,570 customers)
 * and for a synthetic population (default 1,000,000 customers) drawn from the model fitted on it,
 * against the budget of one Lambda invocation (600 s, 3,008 MB).
 *
 * In this process: the generating model (BG/NBD and Gamma-Gamma fitted on the CDNOW master
 * calibration period, to 1997-09-30 in weeks) and a sanity check of the generator (the same
 * synthetic population, refitted on its exact continuous-time summaries, recovers the generating
 * parameters). Each measured run is its own process (bench/scoring-memory.ts) under a Lambda-sized
 * heap limit, so its peak RSS is its own; there, the baselines are one pass over the raw rows and
 * prepareTransactions, in the same process as the fit and score they are compared with.
 *
 * Then the whole job (workOnScoringRun: read, prepare, fit and score, evaluate, write every profile
 * its scores with checkpoints) on the same populations, each in its own process too
 * (bench/scoring-job-memory.ts): the history from memory in the DynamoDB adapter's column form, 10 %
 * more profiles without purchases, the real score writer over a client that serialises each
 * UpdateItem and discards it. DynamoDB I/O is not part of it.
 *
 * Part of `npm run bench`; alone: `node --import tsx bench/scoring-bench.ts [--scoring-customers N]`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type BgNbdParams,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaParams,
  prepareTransactions,
} from '../functions/scoring/index.ts';
import { CDNOW_CALIBRATION, readCdnow, syntheticPopulation } from './synthetic-population.ts';

export const LAMBDA_BUDGET = { seconds: 600, memoryMb: 3008 };
/** V8 heap limit for the measured runs: what a 3,008 MB function leaves after the runtime's own share. */
export const SCORING_HEAP_MB = 2560;
const CDNOW_MASTER = fileURLToPath(new URL('../test/fixtures/cdnow/CDNOW_master.txt', import.meta.url));
const SEED = 1;

/** What bench/scoring-job-memory.ts prints. */
export interface ScoringJobRun {
  source: string;
  idShape: string;
  serialise: string;
  purchasers: number;
  prospects: number;
  profiles: number;
  rows: number;
  transactions: number;
  fingerprint: number;
  loadMs: number;
  totalMs: number;
  timingsMs: { read: number; prepare: number; fitAndScore: number; evaluate: number; write: number };
  otherMs: number;
  writerMs: number;
  serialiseMs: number;
  serialisedMb: number;
  rssAfterLoadMb: number;
  rssAtWritingMb: number;
  heapAtWritingMb: number;
  maxRssWhileWritingMb: number;
  maxHeapWhileWritingMb: number;
  maxRssMb: number;
  heapLimitMb: number;
  fit: {
    bgNbd: { ok: boolean; params?: BgNbdParams };
    gammaGamma: { ok: boolean; params?: GammaGammaParams };
  };
}

export interface ScoringRun {
  source: string;
  customers: number;
  rows: number;
  fingerprint: number;
  loadMs: number;
  passMs: number;
  prepareMs: number;
  fitMs: number;
  scoreMs: number;
  totalMs: number;
  rssAfterLoadMb: number;
  maxRssMb: number;
  heapLimitMb: number;
  bgNbd: { params: BgNbdParams; groups: number; evaluations: number; converged: boolean } | { error: string };
  gammaGamma: { params: GammaGammaParams; customers: number; converged: boolean } | { error: string };
  repeaters: number;
  repeatOccasions: number;
  totalClv: number;
  warnings: string[];
}

/** Node 22 of the project (node_modules/.bin/node), else the running one. */
const nodeBinary = () => {
  const local = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  return existsSync(local) ? local : process.execPath;
};

const runChild = <T = ScoringRun>(
  args: string[],
  workload = './scoring-memory.ts',
): T | { error: string } => {
  const script = fileURLToPath(new URL(workload, import.meta.url));
  try {
    const out = execFileSync(
      nodeBinary(),
      [`--max-old-space-size=${SCORING_HEAP_MB}`, '--import', 'tsx', script, ...args],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as T;
  } catch (e) {
    const err = e as { status?: number; signal?: string; stderr?: string; message: string };
    const tail = (err.stderr ?? err.message).trim().split('\n').slice(-3).join(' | ');
    return { error: `exit ${err.status ?? err.signal}: ${tail}` };
  }
};

const s = (ms: number) => (ms / 1000).toFixed(2);
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

export async function benchScoring(customers: number) {
  // 1. The generating model: CDNOW master, calibration period.
  const transactions = readCdnow(readFileSync(CDNOW_MASTER, 'utf8'));
  const calibration = prepareTransactions(transactions, CDNOW_CALIBRATION);
  const bg = fitBgNbd(calibration);
  const gg = fitGammaGamma(calibration.x, calibration.monetary);
  if (!bg.ok || !gg.ok) throw new Error('the CDNOW master calibration data did not fit');
  const model = { bgNbd: bg.params, gammaGamma: gg.params };

  // 2. Generator sanity check: the same population as the measured run (same seed), refitted on
  //    its exact summaries.
  const population = syntheticPopulation({ customers, seed: SEED, ...model, exact: true });
  const exact = population.exact!;
  const bgExact = fitBgNbd(exact);
  const ggExact = fitGammaGamma(exact.x, exact.monetary);

  // 3. The measured runs, each in its own process.
  const cdnow = runChild(['cdnow', CDNOW_MASTER]);
  const synthetic = runChild(['synthetic', String(customers), String(SEED), JSON.stringify(model)]);
  const cdnowJob = runChild<ScoringJobRun>(['cdnow', CDNOW_MASTER], './scoring-job-memory.ts');
  const syntheticJob = runChild<ScoringJobRun>(
    ['synthetic', String(customers), String(SEED), JSON.stringify(model)],
    './scoring-job-memory.ts',
  );
  for (const r of [synthetic, syntheticJob])
    if (!('error' in r) && r.fingerprint !== population.totalAmount) {
      throw new Error(
        'the synthetic population differs between processes: the generator is not deterministic',
      );
    }

  console.log(
    `\nScoring (prepareTransactions + scoreCustomers), each run in its own process under --max-old-space-size=${SCORING_HEAP_MB}, vs one Lambda (${LAMBDA_BUDGET.seconds} s, ${LAMBDA_BUDGET.memoryMb} MB)`,
  );
  console.log(
    `${'data'.padEnd(22)} ${'customers'.padStart(9)} ${'rows'.padStart(9)} ${'pass s'.padStart(7)} ${'prep s'.padStart(7)} ${'fit s'.padStart(7)} ${'score s'.padStart(7)} ${'total s'.padStart(7)} ${'peak MB'.padStart(7)}  verdict`,
  );
  const runs = [
    ['CDNOW master', cdnow],
    [`synthetic (seed ${SEED})`, synthetic],
  ] as const;
  for (const [name, r] of runs) {
    if ('error' in r) {
      console.log(`${name.padEnd(22)} FAILED ${r.error}`);
      continue;
    }
    const fits = r.totalMs / 1000 <= LAMBDA_BUDGET.seconds && r.maxRssMb <= LAMBDA_BUDGET.memoryMb;
    console.log(
      `${name.padEnd(22)} ${String(r.customers).padStart(9)} ${String(r.rows).padStart(9)} ${s(r.passMs).padStart(7)} ${s(r.prepareMs).padStart(7)} ${s(r.fitMs).padStart(7)} ${s(r.scoreMs).padStart(7)} ${s(r.totalMs).padStart(7)} ${String(r.maxRssMb).padStart(7)}  ${fits ? 'within budget' : 'OVER BUDGET'} (${pct(r.totalMs / 1000, LAMBDA_BUDGET.seconds)} of the time, ${pct(r.maxRssMb, LAMBDA_BUDGET.memoryMb)} of the memory)`,
    );
  }
  for (const [name, r] of runs) {
    if ('error' in r) continue;
    console.log(
      `${name}: ratio fit+score / prepare ${((r.fitMs + r.scoreMs) / r.prepareMs).toFixed(1)}, total / one pass over the rows ${(r.totalMs / r.passMs).toFixed(1)}; ${r.rssAfterLoadMb} MB RSS with the raw rows loaded (${s(r.loadMs)} s to load)`,
    );
  }

  printJob([
    ['CDNOW master', cdnowJob, cdnow],
    [`synthetic (seed ${SEED})`, syntheticJob, synthetic],
  ]);

  const scored = 'error' in synthetic || 'error' in synthetic.bgNbd ? undefined : synthetic.bgNbd.params;
  const scoredGg =
    'error' in synthetic || 'error' in synthetic.gammaGamma ? undefined : synthetic.gammaGamma.params;
  const occasions = 'error' in synthetic ? undefined : synthetic.repeatOccasions;
  console.log(
    `\nSynthetic population: ${population.rows} rows, ${population.repeatPurchases} repeat purchases${occasions === undefined ? '' : ` (${occasions} repeat occasions after same-day purchases merge, ${pct(population.repeatPurchases - occasions, population.repeatPurchases)} fewer)`}; BG/NBD and Gamma-Gamma refitted on it`,
  );
  console.log(
    `${'param'.padEnd(6)} ${'CDNOW fit (generating)'.padStart(22)} ${'refit, exact times'.padStart(19)} ${'refit by scoreCustomers (days)'.padStart(31)}`,
  );
  const line = (name: string, generating: number, refit: number | undefined, days: number | undefined) =>
    console.log(
      `${name.padEnd(6)} ${generating.toFixed(4).padStart(22)} ${(refit === undefined ? '-' : `${refit.toFixed(4)} (${signedPct(refit, generating)})`).padStart(19)} ${(days === undefined ? '-' : `${days.toFixed(4)} (${signedPct(days, generating)})`).padStart(31)}`,
    );
  const bgRefit = bgExact.ok ? bgExact.params : undefined;
  const ggRefit = ggExact.ok ? ggExact.params : undefined;
  for (const k of ['r', 'alpha', 'a', 'b'] as const) line(k, model.bgNbd[k], bgRefit?.[k], scored?.[k]);
  for (const k of ['p', 'q', 'gamma'] as const) line(k, model.gammaGamma[k], ggRefit?.[k], scoredGg?.[k]);
  console.log(
    '  (scoreCustomers sees one occasion per customer-day: same-day repeat purchases merge, which lowers the fitted rate)',
  );

  return {
    budget: LAMBDA_BUDGET,
    heapLimitMb: SCORING_HEAP_MB,
    seed: SEED,
    generatingModel: model,
    refitExact: { bgNbd: bgRefit ?? null, gammaGamma: ggRefit ?? null },
    cdnow,
    synthetic,
    job: { cdnow: cdnowJob, synthetic: syntheticJob },
  };
}

const PHASES = ['read', 'prepare', 'fitAndScore', 'evaluate', 'write'] as const;

/** The whole job's rows, each against the fit-and-score-only run of the same data in this bench run. */
const printJob = (
  runs: readonly (readonly [string, ScoringJobRun | { error: string }, ScoringRun | { error: string }])[],
) => {
  console.log(
    `\nWhole scoring job (workOnScoringRun: claim, read, prepare, fit and score, evaluate, sort by profile id, write every profile its scores in batches of 2,000 with a checkpoint each), each run in its own process under --max-old-space-size=${SCORING_HEAP_MB}, vs one Lambda (${LAMBDA_BUDGET.seconds} s, ${LAMBDA_BUDGET.memoryMb} MB)`,
  );
  console.log(
    `${'data'.padEnd(22)} ${'profiles'.padStart(9)} ${'rows'.padStart(9)} ${'read s'.padStart(7)} ${'prep s'.padStart(7)} ${'fit+sc s'.padStart(8)} ${'eval s'.padStart(7)} ${'write s'.padStart(7)} ${'other s'.padStart(7)} ${'total s'.padStart(7)} ${'peak MB'.padStart(7)}  verdict`,
  );
  for (const [name, r] of runs) {
    if ('error' in r) {
      console.log(`${name.padEnd(22)} FAILED ${r.error}`);
      continue;
    }
    const t = r.timingsMs;
    const fits = r.totalMs / 1000 <= LAMBDA_BUDGET.seconds && r.maxRssMb <= LAMBDA_BUDGET.memoryMb;
    console.log(
      `${name.padEnd(22)} ${String(r.profiles).padStart(9)} ${String(r.transactions).padStart(9)} ${s(t.read).padStart(7)} ${s(t.prepare).padStart(7)} ${s(t.fitAndScore).padStart(8)} ${s(t.evaluate).padStart(7)} ${s(t.write).padStart(7)} ${s(r.otherMs).padStart(7)} ${s(r.totalMs).padStart(7)} ${String(r.maxRssMb).padStart(7)}  ${fits ? 'within budget' : 'OVER BUDGET'} (${pct(r.totalMs / 1000, LAMBDA_BUDGET.seconds)} of the time, ${pct(r.maxRssMb, LAMBDA_BUDGET.memoryMb)} of the memory)`,
    );
  }
  for (const [name, r, alone] of runs) {
    if ('error' in r) continue;
    const share = PHASES.map((p) => `${p} ${pct(r.timingsMs[p], r.totalMs)}`).join(', ');
    const versus =
      'error' in alone
        ? 'no fit-and-score-only run to compare with'
        : `x${(r.totalMs / alone.totalMs).toFixed(1)} the time and x${(r.maxRssMb / alone.maxRssMb).toFixed(1)} the peak RSS of fit and score alone on the same purchases (without the prospects) in this bench run (${s(alone.totalMs)} s, ${alone.maxRssMb} MB)${sameFit(r, alone)}`;
    console.log(`${name}: ${versus}`);
    console.log(
      `  time: ${share}, other ${pct(r.otherMs, r.totalMs)}; write = building the entries ${s(r.timingsMs.write - r.writerMs)} s + the writer ${s(r.writerMs)} s (UpdateItem inputs, of which JSON ${s(r.serialiseMs)} s, ${r.serialisedMb} MB); other = claim, checkpoints, sorting the profiles by id`,
    );
    console.log(
      `  memory: ${r.rssAfterLoadMb} MB RSS with the data loaded, ${r.rssAtWritingMb} MB when writing starts (heap used ${r.heapAtWritingMb} MB), at most ${r.maxRssWhileWritingMb} MB while writing (heap used ${r.maxHeapWhileWritingMb} MB)`,
    );
  }
  const first = runs.find(([, r]) => !('error' in r))?.[1] as ScoringJobRun | undefined;
  if (first) {
    console.log(
      `  History from memory in DynamoDbPurchaseHistory's column form (one fresh ${first.idShape === 'uuid' ? '36-character UUID' : 'short-id'} string per row, rows after asOf left out as the Scan filter does), +${Math.round((100 * first.prospects) / first.purchasers)}% profiles without purchases, the real DynamoDbScoreWriter over a client that ${first.serialise === 'json' ? 'serialises each UpdateItem input to JSON, counts it and discards it' : 'counts each UpdateItem and discards it'}, the in-memory run store, remainingMs always 900 s.`,
    );
  }
  console.log(
    '  DynamoDB I/O is excluded: the parallel Scans of the events and profiles tables, one conditional UpdateItem per profile and the run-store writes (their network time, the SDK beyond building the input, capacity and throttling). What they add in AWS is outside this measurement.',
  );
};

/** Whether the job fitted what fit and score alone fitted (same transactions, other ids and order). */
const sameFit = (job: ScoringJobRun, alone: ScoringRun): string => {
  const pairs: [number | undefined, number][] = [];
  if (!('error' in alone.bgNbd))
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      pairs.push([job.fit.bgNbd.params?.[k], alone.bgNbd.params[k]]);
  if (!('error' in alone.gammaGamma))
    for (const k of ['p', 'q', 'gamma'] as const)
      pairs.push([job.fit.gammaGamma.params?.[k], alone.gammaGamma.params[k]]);
  if (pairs.some(([a]) => a === undefined)) return '; the job could not fit what fit and score alone fitted';
  const worst = Math.max(...pairs.map(([a, b]) => Math.abs(a! - b) / Math.abs(b)));
  return `; same parameters within ${worst.toExponential(0)}`;
};

const signedPct = (value: number, reference: number) => {
  const d = (100 * (value - reference)) / reference;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--scoring-customers');
  await benchScoring(at >= 0 ? Number(process.argv[at + 1]) : 1_000_000);
}
