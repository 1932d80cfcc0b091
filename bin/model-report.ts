// Fits the BG/NBD and Gamma-Gamma models on a CDNOW-format transaction log and prints the
// parameters (against the published values for the CDNOW sample) and the holdout check.
// Usage: node_modules/.bin/node --import tsx bin/model-report.ts [path-to-CDNOW-file]
//        (default: test/fixtures/cdnow/CDNOW_sample.txt; calibration to 1997-09-30, holdout to 1998-06-30)
import { readFileSync } from 'node:fs';
import { holdoutCheck } from '../functions/scoring/holdout-check.ts';
import { parseCdnow } from '../functions/scoring/parse-cdnow.ts';

const path = process.argv[2] ?? new URL('../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url).pathname;
const transactions = parseCdnow(readFileSync(path, 'utf8'));
const started = performance.now();
const report = holdoutCheck(transactions, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
const elapsed = performance.now() - started;

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const pad = (s: string, n: number): string => s.padStart(n);

console.log(`CDNOW model report: ${path}`);
console.log(
  `${transactions.length} rows, ${report.customers} customers; calibration to 1997-09-30, holdout ${report.holdoutLength} weeks`,
);
console.log(`fits and holdout computed in ${elapsed.toFixed(0)} ms\n`);

const published: Record<string, number> = {
  r: 0.243,
  alpha: 4.414,
  a: 0.793,
  b: 2.426,
  p: 6.25,
  q: 3.74,
  gamma: 15.44,
};
const row = (name: string, value: number): void => {
  const ref = published[name];
  const diff = ref === undefined ? '' : `${fmt((100 * (value - ref)) / ref, 2)}%`;
  console.log(
    `  ${name.padEnd(6)} ${pad(fmt(value, 4), 10)} ${pad(ref === undefined ? '' : String(ref), 8)} ${pad(diff, 8)}`,
  );
};
if (report.bgNbd.ok) {
  console.log(`BG/NBD (${report.bgNbd.customers} customers, ${report.bgNbd.groups} distinct (x, t_x, T))`);
  console.log(`  param       fitted    paper     diff`);
  for (const [k, v] of Object.entries(report.bgNbd.params)) row(k, v);
  console.log(`  log-likelihood ${fmt(report.bgNbd.logLikelihood, 2)} (paper: about -9582.4)`);
  for (const w of report.bgNbd.warnings) console.log(`  warning: ${w}`);
}
if (report.gammaGamma.ok) {
  console.log(`\nGamma-Gamma (${report.gammaGamma.customers} customers with repeat purchases)`);
  console.log(`  param       fitted    paper     diff`);
  for (const [k, v] of Object.entries(report.gammaGamma.params)) row(k, v);
  console.log(
    `  log-likelihood ${fmt(report.gammaGamma.logLikelihood, 2)}; population mean spend ${fmt(report.gammaGamma.populationMeanSpend, 2)}`,
  );
} else {
  console.log(`\nGamma-Gamma not fitted: ${report.gammaGamma.reason}`);
}

console.log(`\nHoldout: repeat purchases in weeks 40-78`);
console.log(
  `  actual ${report.actualTotal}, predicted ${fmt(report.predictedTotal, 1)}, error ${fmt(report.totalErrorPercent, 2)}%`,
);
console.log(`  per customer: MAE ${fmt(report.customerMae)}, RMSE ${fmt(report.customerRmse)}`);
console.log(`\nConditional expectation by calibration frequency x`);
console.log(
  `  ${'x'.padEnd(4)} ${pad('customers', 9)} ${pad('actual', 8)} ${pad('predicted', 10)} ${pad('diff', 8)}`,
);
for (const b of report.buckets) {
  console.log(
    `  ${b.label.padEnd(4)} ${pad(String(b.customers), 9)} ${pad(fmt(b.actualMean), 8)} ${pad(fmt(b.predictedMean), 10)} ${pad(fmt(b.predictedMean - b.actualMean), 8)}`,
  );
}
console.log(`  customer-weighted mean absolute error of the bucket means: ${fmt(report.bucketMae)}`);
