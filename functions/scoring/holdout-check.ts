// Holdout validation of the BG/NBD model as in Fader, Hardie and Lee (2005), section 4: fit on a
// calibration period, then compare, for the weeks after it, (a) the total number of repeat
// purchases the model expects for the calibration cohort with the actual count and (b) the
// conditional expectation E[Y(t) | x, t_x, T] averaged per calibration frequency x = 0, 1, ...,
// 7+ with the actual mean number of holdout purchases (their figure 5).

import { type BgNbdFit, bgNbdConditionalExpectedPurchases, fitBgNbd } from './bg-nbd.ts';
import { fitGammaGamma, type GammaGammaFit } from './gamma-gamma.ts';
import {
  type CustomerSummaries,
  prepareTransactions,
  type RawTransaction,
  type TimeUnit,
} from './prepare-transactions.ts';

export interface HoldoutOptions {
  /** Last day of the calibration period (e.g. '1997-09-30'). */
  calibrationEnd: string;
  /** Last day of the holdout period (e.g. '1998-06-30'). */
  holdoutEnd: string;
  timeUnit?: TimeUnit;
  /** Frequencies at or above this share the last bucket (default 7: buckets 0, 1, ..., 7+). */
  topBucket?: number;
}

export interface HoldoutBucket {
  label: string;
  customers: number;
  actualMean: number;
  predictedMean: number;
}

export interface HoldoutReport {
  calibration: CustomerSummaries;
  bgNbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
  /** Holdout length in time units. */
  holdoutLength: number;
  customers: number;
  actualTotal: number;
  predictedTotal: number;
  /** (predicted - actual) / actual, in percent. */
  totalErrorPercent: number;
  /** Customer-level mean absolute and root-mean-square error of E[Y(t)] against the actual count. */
  customerMae: number;
  customerRmse: number;
  buckets: HoldoutBucket[];
  /** Customer-weighted mean absolute error of the bucket means. */
  bucketMae: number;
}

export function holdoutCheck(
  transactions: readonly RawTransaction[],
  options: HoldoutOptions,
): HoldoutReport {
  const timeUnit = options.timeUnit ?? 'week';
  const top = options.topBucket ?? 7;
  const calibration = prepareTransactions(transactions, { cutoff: options.calibrationEnd, timeUnit });
  const full = prepareTransactions(transactions, {
    cutoff: options.holdoutEnd,
    timeUnit,
    customerIds: calibration.ids,
  });
  const holdoutLength = (full.periodEndDay - calibration.periodEndDay) / calibration.unitDays;
  const bgNbd = fitBgNbd(calibration);
  const gammaGamma = fitGammaGamma(calibration.x, calibration.monetary);
  if (!bgNbd.ok) throw new Error(`BG/NBD fit failed: ${bgNbd.reason}`);
  const count = new Float64Array(top + 1);
  const actualSum = new Float64Array(top + 1);
  const predictedSum = new Float64Array(top + 1);
  let customers = 0;
  let actualTotal = 0;
  let predictedTotal = 0;
  let absSum = 0;
  let sqSum = 0;
  for (let i = 0; i < calibration.size; i++) {
    const x = calibration.x[i]!;
    if (Number.isNaN(calibration.T[i]!)) continue;
    // Occasions in the holdout = occasions up to its end minus those up to the calibration end.
    const actual = full.x[i]! - x;
    const predicted = bgNbdConditionalExpectedPurchases(
      bgNbd.params,
      x,
      calibration.tx[i]!,
      calibration.T[i]!,
      holdoutLength,
    );
    const bucket = Math.min(x, top);
    count[bucket]!++;
    actualSum[bucket]! += actual;
    predictedSum[bucket]! += predicted;
    customers++;
    actualTotal += actual;
    predictedTotal += predicted;
    absSum += Math.abs(predicted - actual);
    sqSum += (predicted - actual) ** 2;
  }
  const buckets: HoldoutBucket[] = [];
  let bucketAbs = 0;
  for (let k = 0; k <= top; k++) {
    const n = count[k]!;
    const actualMean = n > 0 ? actualSum[k]! / n : Number.NaN;
    const predictedMean = n > 0 ? predictedSum[k]! / n : Number.NaN;
    if (n > 0) bucketAbs += n * Math.abs(predictedMean - actualMean);
    buckets.push({ label: k === top ? `${k}+` : String(k), customers: n, actualMean, predictedMean });
  }
  return {
    calibration,
    bgNbd,
    gammaGamma,
    holdoutLength,
    customers,
    actualTotal,
    predictedTotal,
    totalErrorPercent: (100 * (predictedTotal - actualTotal)) / actualTotal,
    customerMae: absSum / customers,
    customerRmse: Math.sqrt(sqSum / customers),
    buckets,
    bucketMae: bucketAbs / customers,
  };
}
