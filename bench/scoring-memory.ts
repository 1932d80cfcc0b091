/**
 * One scoring run in its own process, so that its peak RSS is its own (run by bench/scoring-bench.ts
 * under a Lambda-sized heap limit; the last line printed is JSON). The data are loaded first (the
 * CDNOW master file parsed, or a synthetic population generated), then, timed in this process:
 *
 * - baseline: one pass over the raw transactions (what any consumer of them pays at least);
 * - prepareTransactions: raw transactions -> per-customer summaries;
 * - scoreCustomers: its own fit and score timings (BG/NBD + Gamma-Gamma fits; every customer scored).
 *
 *   node --import tsx bench/scoring-memory.ts cdnow <CDNOW_master.txt>
 *   node --import tsx bench/scoring-memory.ts synthetic <customers> <seed> '<{"bgNbd":…,"gammaGamma":…}>'
 */
import { readFileSync } from 'node:fs';
import { prepareTransactions, type RawTransaction, scoreCustomers } from '../functions/scoring/index.ts';
import { CDNOW_CALIBRATION, readCdnow, syntheticPopulation, transactionsOf } from './synthetic-population.ts';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round = (ms: number) => Math.round(ms * 10) / 10;

const [source, ...rest] = process.argv.slice(2);
let transactions: Iterable<RawTransaction>;
let rows: number;
let fingerprint: number;
const loadStarted = performance.now();
if (source === 'cdnow') {
  const parsed = readCdnow(readFileSync(rest[0]!, 'utf8'));
  transactions = parsed;
  rows = parsed.length;
  fingerprint = Math.round(parsed.reduce((s, t) => s + t.amount, 0) * 100) / 100;
} else if (source === 'synthetic') {
  const model = JSON.parse(rest[2]!);
  const population = syntheticPopulation({
    customers: Number(rest[0]),
    seed: Number(rest[1]),
    bgNbd: model.bgNbd,
    gammaGamma: model.gammaGamma,
    cutoff: CDNOW_CALIBRATION.cutoff,
  });
  transactions = { [Symbol.iterator]: () => transactionsOf(population) };
  rows = population.rows;
  fingerprint = population.totalAmount;
} else {
  throw new Error('usage: scoring-memory.ts cdnow <file> | synthetic <customers> <seed> <model JSON>');
}
const loadMs = performance.now() - loadStarted;
const rssAfterLoadMb = mb(process.memoryUsage.rss());

// Baseline: a single pass over the same rows, through the same iterable.
const passStarted = performance.now();
let sum = 0;
let idChars = 0;
for (const t of transactions) {
  sum += t.amount;
  idChars += t.customerId.length;
}
const passMs = performance.now() - passStarted;
if (!(Math.abs(sum - fingerprint) < 1 + 1e-6 * Math.abs(sum)) || idChars === 0)
  throw new Error('baseline pass disagrees');

const prepareStarted = performance.now();
const summaries = prepareTransactions(transactions, CDNOW_CALIBRATION);
const prepareMs = performance.now() - prepareStarted;

const scoreStarted = performance.now();
const result = scoreCustomers(summaries);
const scoreCustomersMs = performance.now() - scoreStarted;

const { bgNbd, gammaGamma } = result;
console.log(
  JSON.stringify({
    source,
    customers: summaries.size,
    rows,
    fingerprint,
    loadMs: round(loadMs),
    passMs: round(passMs),
    prepareMs: round(prepareMs),
    fitMs: round(result.timingsMs.fit),
    scoreMs: round(result.timingsMs.score),
    totalMs: round(prepareMs + scoreCustomersMs),
    rssAfterLoadMb,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    heapLimitMb: mb((await import('node:v8')).getHeapStatistics().heap_size_limit),
    bgNbd: bgNbd.ok
      ? {
          params: bgNbd.params,
          groups: bgNbd.groups,
          evaluations: bgNbd.evaluations,
          converged: bgNbd.converged,
          logLikelihood: bgNbd.logLikelihood,
        }
      : { error: bgNbd.reason },
    gammaGamma: gammaGamma.ok
      ? {
          params: gammaGamma.params,
          customers: gammaGamma.customers,
          evaluations: gammaGamma.evaluations,
          converged: gammaGamma.converged,
        }
      : { error: gammaGamma.reason },
    repeaters: summaries.x.reduce((n, x) => n + (x > 0 ? 1 : 0), 0),
    repeatOccasions: summaries.x.reduce((n, x) => n + x, 0),
    totalClv: Math.round(result.aggregates.totalClv),
    warnings: result.warnings,
  }),
);
