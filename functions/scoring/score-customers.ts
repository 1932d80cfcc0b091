// scoreCustomers: fits BG/NBD and Gamma-Gamma on the base, then scores every customer:
// RFM scores and segment, P(alive), expected purchases in the next N periods, expected spend,
// CLV, value tier, churn band, value x risk cell with its action, lifecycle stage; plus counts.
//
// Built for a million customers: columns in typed arrays, the model predictions computed once per
// distinct (x, T) pair (P(alive) is the only per-customer model term), no per-customer closures.

import {
  type BgNbdFit,
  type BgNbdParams,
  bgNbdExpectedPurchasesIfAlive,
  bgNbdPAlive,
  fitBgNbd,
} from './bg-nbd.ts';
import { type ChurnBand, churnBandIndex, DEFAULT_CHURN_BANDS } from './churn-band.ts';
import { type ClvOptions, clvSchedule, discountedPurchasesIfAlive } from './clv.ts';
import {
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaFitOptions,
  type GammaGammaParams,
  gammaGammaConditionalExpectedSpend,
} from './gamma-gamma.ts';
import { groupRows } from './group-rows.ts';
import {
  DEFAULT_LIFECYCLE_OPTIONS,
  LIFECYCLE_STAGES,
  type LifecycleOptions,
  lifecycleStageIndex,
} from './lifecycle-stage.ts';
import { type CustomerSummaries, dayToIsoDate } from './prepare-transactions.ts';
import { type RfmOptions, rfmScores } from './rfm-scores.ts';
import { DEFAULT_RFM_SEGMENT_MAP, type RfmSegmentMap } from './rfm-segment.ts';
import {
  DEFAULT_VALUE_RISK_MATRIX,
  type MatrixCell,
  matrixCellIndex,
  matrixCells,
  type ValueRiskMatrixConfig,
} from './value-risk-matrix.ts';
import { assignValueTiers, DEFAULT_VALUE_TIERS, NO_TIER, type ValueTierConfig } from './value-tier.ts';

export interface ScoreOptions {
  /** Horizon of "expected purchases", in model time units (default one year: 52 weeks or 365 days). */
  nextPeriods?: number;
  clv?: ClvOptions;
  rfm?: RfmOptions & { segmentMap?: RfmSegmentMap };
  valueTiers?: ValueTierConfig;
  churnBands?: readonly ChurnBand[];
  matrix?: ValueRiskMatrixConfig;
  lifecycle?: LifecycleOptions;
  gammaGamma?: GammaGammaFitOptions;
}

/** Sentinel for "not applicable" in the Uint8Array label columns (e.g. prospects). */
export const NONE = 255;

export interface ScoredCustomers {
  size: number;
  ids: string[];
  /** RFM scores 1-5 (0 for prospects). */
  recency: Uint8Array;
  frequency: Uint8Array;
  monetary: Uint8Array;
  /** Index into labels.segments, NONE for prospects. */
  segment: Uint8Array;
  /** NaN where not applicable (prospects, or no BG/NBD fit). */
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
  /** Indices into labels.valueTiers, labels.churnBands, labels.cells; NONE where not applicable. */
  valueTier: Uint8Array;
  churnBand: Uint8Array;
  cell: Uint8Array;
  /** Index into labels.lifecycle. */
  lifecycle: Uint8Array;
}

export interface ScoringResult {
  asOf: string;
  timeUnit: CustomerSummaries['timeUnit'];
  nextPeriods: number;
  bgNbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
  /**
   * Spend used when the Gamma-Gamma model could not be fitted or has no finite population mean
   * (median of the purchasers' mean occasion values), else null.
   */
  spendFallback: number | null;
  warnings: string[];
  customers: ScoredCustomers;
  labels: {
    segments: string[];
    valueTiers: string[];
    churnBands: string[];
    cells: MatrixCell[];
    lifecycle: readonly string[];
  };
  aggregates: {
    customers: number;
    prospects: number;
    segments: Record<string, number>;
    valueTiers: Record<string, number>;
    churnBands: Record<string, number>;
    cells: Record<string, number>;
    lifecycle: Record<string, number>;
    totalClv: number;
    totalExpectedPurchases: number;
  };
  timingsMs: { fit: number; score: number };
}

export function scoreCustomers(summaries: CustomerSummaries, options: ScoreOptions = {}): ScoringResult {
  const started = performance.now();
  const n = summaries.size;
  const { x, tx, T, monetary, totalSpend, firstDay, lastDay, previousDay } = summaries;
  const warnings: string[] = [];
  const nextPeriods = options.nextPeriods ?? (summaries.timeUnit === 'week' ? 52 : 365);

  // 1. Fits.
  const bgNbd = fitBgNbd(summaries);
  if (!bgNbd.ok) warnings.push(`BG/NBD not fitted: ${bgNbd.reason}; no predictions, tiers by total spend`);
  else warnings.push(...bgNbd.warnings.map((w) => `BG/NBD: ${w}`));
  const gammaGamma = fitGammaGamma(x, monetary, options.gammaGamma);
  let purchasers = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(firstDay[i]!)) purchasers++;
  let spendFallback: number | null = null;
  let ggParams: GammaGammaParams | null = null;
  if (gammaGamma.ok) {
    ggParams = gammaGamma.params;
    warnings.push(...gammaGamma.warnings.map((w) => `Gamma-Gamma: ${w}`));
    if (Number.isNaN(gammaGamma.populationMeanSpend)) spendFallback = medianOccasionValue(summaries);
  } else {
    spendFallback = medianOccasionValue(summaries);
    warnings.push(
      `Gamma-Gamma not fitted: ${gammaGamma.reason}; expected spend = median of the customers' mean occasion values ${spendFallback}`,
    );
  }
  const fitted = performance.now();

  // 2. Model predictions once per (x, T) pair.
  const purchased = new Uint8Array(n);
  for (let i = 0; i < n; i++) purchased[i] = Number.isNaN(firstDay[i]!) ? 0 : 1;
  const pAlive = new Float64Array(n).fill(Number.NaN);
  const expectedPurchases = new Float64Array(n).fill(Number.NaN);
  const expectedSpend = new Float64Array(n).fill(Number.NaN);
  const clv = new Float64Array(n).fill(Number.NaN);
  const schedule = clvSchedule(options.clv ?? {}, summaries.unitDays);
  if (bgNbd.ok) {
    const params: BgNbdParams = bgNbd.params;
    const pairs = groupRows([x, T], n, purchased);
    const nextIfAlive = new Float64Array(pairs.count);
    const discountedIfAlive = new Float64Array(pairs.count);
    for (let g = 0; g < pairs.count; g++) {
      const row = pairs.representative[g]!;
      nextIfAlive[g] = bgNbdExpectedPurchasesIfAlive(params, x[row]!, T[row]!, nextPeriods);
      discountedIfAlive[g] = discountedPurchasesIfAlive(params, x[row]!, T[row]!, schedule);
    }
    for (let i = 0; i < n; i++) {
      const g = pairs.groupOf[i]!;
      if (g < 0) continue;
      const alive = bgNbdPAlive(params, x[i]!, tx[i]!, T[i]!);
      pAlive[i] = alive;
      expectedPurchases[i] = alive * nextIfAlive[g]!;
      const s = spendOf(ggParams, spendFallback, x[i]!, monetary[i]!);
      expectedSpend[i] = s;
      clv[i] = schedule.margin * s * alive * discountedIfAlive[g]!;
    }
  } else {
    for (let i = 0; i < n; i++)
      if (purchased[i]) expectedSpend[i] = spendOf(ggParams, spendFallback, x[i]!, monetary[i]!);
  }

  // 3. RFM.
  const rfm = rfmScores({ lastDay, x, totalSpend }, summaries.cutoffDay, options.rfm);
  const segmentMap = options.rfm?.segmentMap ?? DEFAULT_RFM_SEGMENT_MAP;
  const segmentNames: string[] = [];
  const segmentIndex = new Map<string, number>();
  const segmentOfCell: number[] = [];
  for (let r = 1; r <= 5; r++) {
    for (let fm = 1; fm <= 5; fm++) {
      const name = segmentMap[r - 1]?.[fm - 1];
      if (name === undefined) throw new Error(`RFM segment map has no cell for R=${r}, FM=${fm}`);
      let k = segmentIndex.get(name);
      if (k === undefined) {
        k = segmentNames.length;
        segmentIndex.set(name, k);
        segmentNames.push(name);
      }
      segmentOfCell.push(k);
    }
  }
  const segment = new Uint8Array(n).fill(NONE);
  for (let i = 0; i < n; i++) {
    const r = rfm.recency[i]!;
    if (r === 0) continue;
    const fm = (rfm.frequency[i]! + rfm.monetary[i]! + 1) >> 1;
    segment[i] = segmentOfCell[(r - 1) * 5 + fm - 1]!;
  }

  // 4. Tiers, bands, matrix, lifecycle.
  const tierConfig = options.valueTiers ?? DEFAULT_VALUE_TIERS;
  const valueTier = assignValueTiers(bgNbd.ok ? clv : totalSpend, tierConfig, purchased);
  const bands = options.churnBands ?? DEFAULT_CHURN_BANDS;
  const matrixConfig = options.matrix ?? DEFAULT_VALUE_RISK_MATRIX;
  const bandNames = bands.map((b) => b.name);
  const cells = matrixCells(bandNames, matrixConfig);
  const cellOfTierBand: number[] = [];
  for (const tier of tierConfig.tiers) {
    for (let k = 0; k < bands.length; k++)
      cellOfTierBand.push(matrixCellIndex(tier.name, k, bands.length, matrixConfig));
  }
  const lifecycleOptions = { ...DEFAULT_LIFECYCLE_OPTIONS, ...options.lifecycle };
  const churnBand = new Uint8Array(n).fill(NONE);
  const cell = new Uint8Array(n).fill(NONE);
  const lifecycle = new Uint8Array(n);
  const input = { asOfDay: summaries.cutoffDay, firstDay: 0, lastDay: 0, previousDay: 0, pAlive: 0 };
  for (let i = 0; i < n; i++) {
    input.firstDay = firstDay[i]!;
    input.lastDay = lastDay[i]!;
    input.previousDay = previousDay[i]!;
    input.pAlive = pAlive[i]!;
    lifecycle[i] = lifecycleStageIndex(input, lifecycleOptions);
    const band = churnBandIndex(pAlive[i]!, bands);
    if (band < 0) continue;
    churnBand[i] = band;
    const tier = valueTier[i]!;
    if (tier !== NO_TIER) cell[i] = cellOfTierBand[tier * bands.length + band]!;
  }

  // 5. Aggregates.
  const tierNames = tierConfig.tiers.map((t) => t.name);
  const cellKeys = cells.map((c) => c.key);
  let totalClv = 0;
  let totalExpectedPurchases = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(clv[i]!)) totalClv += clv[i]!;
    if (!Number.isNaN(expectedPurchases[i]!)) totalExpectedPurchases += expectedPurchases[i]!;
  }
  const customers: ScoredCustomers = {
    size: n,
    ids: summaries.ids,
    recency: rfm.recency,
    frequency: rfm.frequency,
    monetary: rfm.monetary,
    segment,
    pAlive,
    expectedPurchases,
    expectedSpend,
    clv,
    valueTier,
    churnBand,
    cell,
    lifecycle,
  };
  return {
    asOf: dayToIsoDate(summaries.cutoffDay),
    timeUnit: summaries.timeUnit,
    nextPeriods,
    bgNbd,
    gammaGamma,
    spendFallback,
    warnings,
    customers,
    labels: {
      segments: segmentNames,
      valueTiers: tierNames,
      churnBands: bandNames,
      cells,
      lifecycle: LIFECYCLE_STAGES,
    },
    aggregates: {
      customers: n,
      prospects: n - purchasers,
      segments: countLabels(segment, segmentNames),
      valueTiers: countLabels(valueTier, tierNames),
      churnBands: countLabels(churnBand, bandNames),
      cells: countLabels(cell, cellKeys),
      lifecycle: countLabels(lifecycle, LIFECYCLE_STAGES),
      totalClv,
      totalExpectedPurchases,
    },
    timingsMs: { fit: fitted - started, score: performance.now() - fitted },
  };
}

/**
 * The spend used where the Gamma-Gamma model gives none: the median over purchasers of their mean
 * occasion value max(0, totalSpend) / (x + 1) (the mean of the two middle values for an even
 * count; 0 without purchasers). A median rather than the mean occasion value over all occasions:
 * with one 1e9 order among $20 orders the mean would hand every one-time buyer a CLV in the millions.
 */
function medianOccasionValue(summaries: CustomerSummaries): number {
  const { x, totalSpend, firstDay } = summaries;
  const values: number[] = [];
  for (let i = 0; i < summaries.size; i++)
    if (!Number.isNaN(firstDay[i]!)) values.push(Math.max(0, totalSpend[i]!) / (x[i]! + 1));
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spendOf(params: GammaGammaParams | null, fallback: number | null, x: number, m: number): number {
  if (params) {
    const s = gammaGammaConditionalExpectedSpend(params, x, m);
    if (!Number.isNaN(s)) return s;
  }
  return fallback ?? 0;
}

function countLabels(column: Uint8Array, names: readonly string[]): Record<string, number> {
  const counts = new Float64Array(names.length);
  for (let i = 0; i < column.length; i++) {
    const k = column[i]!;
    if (k < names.length) counts[k]!++;
  }
  const out: Record<string, number> = {};
  for (let k = 0; k < names.length; k++) out[names[k]!] = (out[names[k]!] ?? 0) + counts[k]!;
  return out;
}

/** One customer's scores as a plain object. */
export function scoredCustomer(result: ScoringResult, i: number) {
  const c = result.customers;
  const label = (column: Uint8Array, names: readonly string[]): string | null =>
    c.size > i && column[i]! < names.length ? names[column[i]!]! : null;
  const num = (v: number): number | null => (Number.isNaN(v) ? null : v);
  const cell = c.cell[i]! === NONE ? null : (result.labels.cells[c.cell[i]!] ?? null);
  return {
    customerId: c.ids[i]!,
    rfm: { recency: c.recency[i]!, frequency: c.frequency[i]!, monetary: c.monetary[i]! },
    segment: label(c.segment, result.labels.segments),
    pAlive: num(c.pAlive[i]!),
    expectedPurchases: num(c.expectedPurchases[i]!),
    expectedSpend: num(c.expectedSpend[i]!),
    clv: num(c.clv[i]!),
    valueTier: label(c.valueTier, result.labels.valueTiers),
    churnBand: label(c.churnBand, result.labels.churnBands),
    cell: cell ? cell.key : null,
    action: cell ? cell.action : null,
    lifecycle: label(c.lifecycle, result.labels.lifecycle)!,
  };
}
