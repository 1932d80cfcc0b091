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

const runChild = (args: string[]): ScoringRun | { error: string } => {
  const script = fileURLToPath(new URL('./scoring-memory.ts', import.meta.url));
  try {
    const out = execFileSync(
      nodeBinary(),
      [`--max-old-space-size=${SCORING_HEAP_MB}`, '--import', 'tsx', script, ...args],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as ScoringRun;
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
  if (!('error' in synthetic) && synthetic.fingerprint !== population.totalAmount) {
    throw new Error('the synthetic population differs between processes: the generator is not deterministic');
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
  };
}

const signedPct = (value: number, reference: number) => {
  const d = (100 * (value - reference)) / reference;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--scoring-customers');
  await benchScoring(at >= 0 ? Number(process.argv[at + 1]) : 1_000_000);
}
