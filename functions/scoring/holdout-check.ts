// Holdout validation of the BG/NBD model as in Fader, Hardie and Lee (2005), section 4: fit on a
// calibration period, then compare, for the weeks after it, (a) the total number of repeat
// purchases the model expects for the calibration cohort with the actual count and (b) the
// conditional expectation E[Y(t) | x, t_x, T] averaged per calibration frequency x = 0, 1, ...,
// 7+ with the actual mean number of holdout purchases (their figure 5).
//
// Recorded result on the CDNOW sample (2,357 customers, calibration 1997-01-01..1997-09-30, holdout
// 1997-10-01..1998-06-30): predicted 1,653.4 repeat purchases, actual 1,882 (-12.1%). Checked, and
// not a bug in either number:
// - Actual: 6,919 rows make 6,696 customer-day occasions up to 1998-06-30; minus 2,357 first
//   purchases and 2,457 calibration repeats leaves 1,882. The per-frequency means (0.2367, 0.6970,
//   1.3925, 1.5600, 2.5323, 2.9474, 3.8621, 6.3594 for x = 0..7+, with 1411, 439, 214, 100, 62, 38,
//   29, 64 customers) are exactly those of the BTYD x.star replications of the same data.
// - Predicted: t = 273 days / 7 = 39 weeks, per-customer (x, t_x, T) as in the paper check. At the
//   published parameters (r 0.243, alpha 4.414, a 0.793, b 2.426) the total is 1,653.9; measuring T
//   to the end of 1997-09-30 instead gives 1,642.3, so the day convention is not the cause either.
// - The unconditional forecast of the paper's figure 4 (sum over customers of E[X(T_i + 39)] -
//   E[X(T_i)], eq. 9) gives 1,666.7: cumulative repeat purchases at week 78 of 4,124 against 4,339
//   (-5.0% on the cumulative curve, -11.4% on the holdout weeks alone). The Pareto/NBD at its
//   published CDNOW parameters (r 0.553, alpha 10.58, s 0.606, beta 11.656) gives per-frequency
//   means 0.138, 0.600, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403 in a public replication: 1,665 in
//   total, the same -11.5%.
// So both models under-forecast this holdout by about 12%: the shortfall of 228.6 purchases sits
// mostly with customers who had 1 or 2 repeat purchases in the calibration period (-76.3 and -74.6;
// actual means 0.697 and 1.393 against 0.523 and 1.044 predicted): year two was busier for them than
// a stationary purchase rate implies. The bucket-level fit (figure 5) stays within 0.4 purchases.

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
