// The PAPER CHECK and the HOLDOUT CHECK on the CDNOW sample (2,357 customers) of Fader, Hardie
// and Lee (2005). Calibration 1997-01-01 to 1997-09-30 (39 weeks), time in weeks, one occasion per
// customer-day. T is measured to the start of 1997-09-30 (T = (1997-09-30 - first day) / 7, so a
// 1 January customer has T = 38.86): this reproduces the published estimates and log-likelihood;
// measuring to the end of that day (T = 39 for 1 January) gives r = 0.242, a = 0.814, b = 2.477,
// LL = -9589.9 instead.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bgNbdLogLikelihood, fitBgNbd } from './bg-nbd.ts';
import { fitGammaGamma } from './gamma-gamma.ts';
import { holdoutCheck } from './holdout-check.ts';
import { parseCdnow } from './parse-cdnow.ts';
import { type CustomerSummaries, prepareTransactions, type RawTransaction } from './prepare-transactions.ts';
import { mulberry32 } from './random.test-helpers.ts';

const FIXTURE = new URL('../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url);

function within(actual: number, published: number, relative: number): void {
  expect(Math.abs(actual - published) / published).toBeLessThan(relative);
}

let transactions: RawTransaction[];
let calibration: CustomerSummaries;

beforeAll(() => {
  transactions = parseCdnow(readFileSync(FIXTURE, 'utf8'));
  calibration = prepareTransactions(transactions, { cutoff: '1997-09-30', timeUnit: 'week' });
});

describe('CDNOW paper check', () => {
  it('prepares the calibration data as in the paper', () => {
    expect(transactions.length).toBe(6919);
    expect(calibration.size).toBe(2357);
    let repeaters = 0;
    let repeatPurchases = 0;
    for (let i = 0; i < calibration.size; i++) {
      if (calibration.x[i]! > 0) repeaters++;
      repeatPurchases += calibration.x[i]!;
    }
    expect(repeaters).toBe(946);
    expect(repeatPurchases).toBe(2457);
    const first = calibration.ids.indexOf('00004'); // first purchase on 1997-01-01
    expect(first).toBeGreaterThanOrEqual(0);
    expect(calibration.T[first]).toBeCloseTo(272 / 7, 12);
  });

  it('BG/NBD: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4', () => {
    const fit = fitBgNbd(calibration);
    if (!fit.ok) throw new Error(fit.reason);
    within(fit.params.r, 0.243, 0.01);
    within(fit.params.alpha, 4.414, 0.01);
    within(fit.params.a, 0.793, 0.01);
    within(fit.params.b, 2.426, 0.01);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 0);
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toEqual([]);
    // At the published (rounded) values the likelihood is within a hair of the optimum.
    const atPaper = bgNbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, calibration);
    expect(atPaper).toBeLessThanOrEqual(fit.logLikelihood);
    expect(fit.logLikelihood - atPaper).toBeLessThan(0.01);
  });

  it('Gamma-Gamma: p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeaters', () => {
    const fit = fitGammaGamma(calibration.x, calibration.monetary);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.customers).toBe(946);
    within(fit.params.p, 6.25, 0.01);
    within(fit.params.q, 3.74, 0.01);
    within(fit.params.gamma, 15.44, 0.01);
  });

  it('fits the same parameters, bit for bit, whatever order the rows and customers come in', () => {
    // The job reads purchases with a parallel Scan and numbers customers by profile id: any order.
    const random = mulberry32(7);
    const shuffled = [...transactions];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const reordered = prepareTransactions(shuffled, { cutoff: '1997-09-30', timeUnit: 'week' });
    expect(reordered.ids).not.toEqual(calibration.ids);
    const fits = [calibration, reordered].map((data) =>
      [
        fitBgNbd(data),
        // The path large bases take: a first fit on a systematic subsample of the customers.
        fitBgNbd(data, { maxGroupsForFullSearch: 0, sampleCustomers: 500 }),
        fitGammaGamma(data.x, data.monetary),
        fitGammaGamma(data.x, data.monetary, { sampleCustomers: 200 }),
      ].map((fit) => (fit.ok ? fit.params : fit.reason)),
    );
    expect(fits[1]).toEqual(fits[0]);
    expect(fits[0]![1]).not.toEqual(fits[0]![0]);
  });
});

describe('CDNOW holdout check (weeks 40 to 78)', () => {
  it('compares predicted and actual repeat purchases in total and per calibration frequency', () => {
    const report = holdoutCheck(transactions, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
    expect(report.holdoutLength).toBe(39);
    expect(report.customers).toBe(2357);
    expect(report.actualTotal).toBe(1882);
    // Recorded result: the model expects 1653.4 purchases, 12.1% fewer than happened.
    expect(report.predictedTotal).toBeCloseTo(1653.4, 0);
    expect(Math.abs(report.totalErrorPercent)).toBeLessThan(15);
    expect(report.buckets.map((b) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(report.buckets.reduce((n, b) => n + b.customers, 0)).toBe(2357);
    expect(report.buckets[0]!.customers).toBe(1411);
    // The conditional expectation rises with calibration frequency, as the actual counts do,
    // and stays within 0.4 purchases of the actual bucket means.
    for (let k = 1; k < report.buckets.length; k++) {
      expect(report.buckets[k]!.predictedMean).toBeGreaterThan(report.buckets[k - 1]!.predictedMean);
    }
    for (const b of report.buckets) expect(Math.abs(b.predictedMean - b.actualMean)).toBeLessThan(0.4);
    expect(report.bucketMae).toBeLessThan(0.15);
  });
});
