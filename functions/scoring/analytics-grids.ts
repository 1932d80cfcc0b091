// Analytics grids of one scoring run, small plain-JSON objects for dashboards:
//
// (a) The RFM recency x frequency grid (Hughes, "Strategic Database Marketing", 1994): customers
//     and revenue for every recency score R = 1..5 (rows) and frequency score F = 1..5 (columns),
//     5 best. Revenue is net spend up to the cut-off (totalSpend: refunds included, so it can be
//     negative), each customer rounded to cents and summed in whole cents, so the cells add up to
//     the total exactly. Prospects (no purchase, no scores) are counted apart, with their revenue
//     (refund-only customers have a negative one).
//
// (b) The value x churn-risk matrix: value tiers (rows, best first, as configured) by churn bands
//     (columns, lowest risk first), with the number of customers, their total CLV (rounded to cents
//     per customer, summed in cents) and the cell's key and action (labels.cells of the result).
//     Customers without a value tier (prospects) or without a churn band (no BG/NBD fit, so no
//     P(alive)) are counted apart.

import type { CustomerSummaries } from './prepare-transactions.ts';
import { NONE, type ScoringResult } from './score-customers.ts';
import { DEFAULT_VALUE_RISK_MATRIX, type ValueRiskMatrixConfig } from './value-risk-matrix.ts';

export interface GridTotals {
  customers: number;
  /** Currency units, rounded to cents. */
  revenue: number;
}

export interface RfmGrid {
  /** customers[r - 1][f - 1]: customers with recency score r and frequency score f. */
  customers: number[][];
  /** revenue[r - 1][f - 1]: their net spend, rounded to cents. */
  revenue: number[][];
  /** All scored customers (the sum of the cells). */
  total: GridTotals;
  prospects: GridTotals;
}

export interface ValueRiskGridCell {
  tier: string;
  band: string;
  /** Matrix cell key (e.g. 'high/medium') and action; null if the matrix has none for the tier. */
  key: string | null;
  action: string | null;
  customers: number;
  /** Total CLV of the cell's customers, rounded to cents. */
  clv: number;
}

export interface ValueRiskGrid {
  tiers: string[];
  bands: string[];
  /** cells[tier][band], in the order of tiers and bands. */
  cells: ValueRiskGridCell[][];
  /** Customers in the cells and their CLV. */
  total: { customers: number; clv: number };
  /** Customers outside the grid: without a value tier (prospects) or without a churn band (no model). */
  unassigned: { customers: number; noTier: number; noBand: number };
}

export interface AnalyticsGrids {
  asOf: string;
  rfm: RfmGrid;
  valueRisk: ValueRiskGrid;
}

export interface AnalyticsGridOptions {
  /** The matrix configuration the run used (to label cells no customer falls in); default the default. */
  matrix?: ValueRiskMatrixConfig;
}

/** Both grids of a scoring run; summaries must be the ones the result was computed from. */
export function analyticsGrids(
  result: ScoringResult,
  summaries: CustomerSummaries,
  options: AnalyticsGridOptions = {},
): AnalyticsGrids {
  return {
    asOf: result.asOf,
    rfm: rfmGrid(result, summaries),
    valueRisk: valueRiskGrid(result, options),
  };
}

/** The 5 x 5 recency x frequency grid with customer counts and revenue. */
export function rfmGrid(result: ScoringResult, summaries: CustomerSummaries): RfmGrid {
  const c = result.customers;
  const n = c.size;
  if (
    summaries.size !== n ||
    (n > 0 && (summaries.ids[0] !== c.ids[0] || summaries.ids[n - 1] !== c.ids[n - 1]))
  ) {
    throw new Error('rfmGrid: the summaries are not the ones the scoring result was computed from');
  }
  const counts = new Float64Array(25);
  const cents = new Float64Array(25);
  let prospects = 0;
  let prospectCents = 0;
  for (let i = 0; i < n; i++) {
    const spend = Math.round(summaries.totalSpend[i]! * 100);
    const r = c.recency[i]!;
    const f = c.frequency[i]!;
    if (r === 0 || f === 0) {
      prospects++;
      prospectCents += spend;
      continue;
    }
    const k = (r - 1) * 5 + (f - 1);
    counts[k]!++;
    cents[k]! += spend;
  }
  const customers: number[][] = [];
  const revenue: number[][] = [];
  let totalCustomers = 0;
  let totalCents = 0;
  for (let r = 0; r < 5; r++) {
    customers.push(Array.from(counts.subarray(r * 5, r * 5 + 5)));
    revenue.push(Array.from(cents.subarray(r * 5, r * 5 + 5), fromCents));
    for (let f = 0; f < 5; f++) {
      totalCustomers += counts[r * 5 + f]!;
      totalCents += cents[r * 5 + f]!;
    }
  }
  return {
    customers,
    revenue,
    total: { customers: totalCustomers, revenue: fromCents(totalCents) },
    prospects: { customers: prospects, revenue: fromCents(prospectCents) },
  };
}

/** The value tier x churn band matrix with counts, CLV and each cell's action. */
export function valueRiskGrid(result: ScoringResult, options: AnalyticsGridOptions = {}): ValueRiskGrid {
  const c = result.customers;
  const tiers = result.labels.valueTiers;
  const bands = result.labels.churnBands;
  const cellLabels = result.labels.cells;
  const nt = tiers.length;
  const nb = bands.length;
  const counts = new Float64Array(nt * nb);
  const cents = new Float64Array(nt * nb);
  // The matrix cell of each (tier, band): as the run assigned it, else from the configuration.
  const cellOf = new Int32Array(nt * nb).fill(-1);
  let noTier = 0;
  let noBand = 0;
  for (let i = 0; i < c.size; i++) {
    const t = c.valueTier[i]!;
    const b = c.churnBand[i]!;
    if (t === NONE || t >= nt) {
      noTier++;
      continue;
    }
    if (b === NONE || b >= nb) {
      noBand++;
      continue;
    }
    const k = t * nb + b;
    counts[k]!++;
    const clv = c.clv[i]!;
    if (Number.isFinite(clv)) cents[k]! += Math.round(clv * 100);
    if (cellOf[k] === -1 && c.cell[i]! !== NONE) cellOf[k] = c.cell[i]!;
  }
  const matrix = options.matrix ?? DEFAULT_VALUE_RISK_MATRIX;
  const cells: ValueRiskGridCell[][] = [];
  let totalCustomers = 0;
  let totalCents = 0;
  for (let t = 0; t < nt; t++) {
    const row: ValueRiskGridCell[] = [];
    for (let b = 0; b < nb; b++) {
      const k = t * nb + b;
      let label = cellOf[k]! >= 0 ? cellLabels[cellOf[k]!] : undefined;
      if (!label) {
        const level = matrix.valueLevels[tiers[t]!];
        const key = level === undefined ? undefined : `${level}/${bands[b]!}`;
        label = cellLabels.find((cell) => cell.key === key);
      }
      row.push({
        tier: tiers[t]!,
        band: bands[b]!,
        key: label?.key ?? null,
        action: label?.action ?? null,
        customers: counts[k]!,
        clv: fromCents(cents[k]!),
      });
      totalCustomers += counts[k]!;
      totalCents += cents[k]!;
    }
    cells.push(row);
  }
  return {
    tiers: [...tiers],
    bands: [...bands],
    cells,
    total: { customers: totalCustomers, clv: fromCents(totalCents) },
    unassigned: { customers: noTier + noBand, noTier, noBand },
  };
}

/** Whole cents to currency units (+ 0 turns a -0 into 0). */
function fromCents(cents: number): number {
  return cents / 100 + 0;
}
