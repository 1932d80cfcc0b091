// Transaction preparation: raw transactions -> one summary per customer as of a cut-off date,
// in the form the BG/NBD and Gamma-Gamma models take (Fader, Hardie and Lee 2005):
//   x   = frequency: number of repeat purchase occasions (occasions after the first),
//   t_x = recency: time of the last occasion minus time of the first,
//   T   = age: end of the observation period minus time of the first occasion,
//   monetary = mean value of the repeat occasions (the Gamma-Gamma convention: the first
//              purchase is excluded; 0 when x = 0).
//
// Rules (documented in the tests):
// - Time is in whole days (UTC, optionally shifted by utcOffsetMinutes to use a local calendar
//   day); t_x and T are day differences divided by the unit (1 for 'day', 7 for 'week').
// - A purchase occasion is a customer-day with at least one row of amount >= 0 (a purchase, even
//   a free one). All rows of that day are summed into its value, so a same-day refund reduces it;
//   an occasion's value is floored at 0 for the monetary mean. Days with only negative rows are
//   refunds, not occasions: they reduce totalSpend only.
// - Only rows on or before the cut-off day are used. By default the period ends at the start of
//   the cut-off day (T = cutoffDay - firstDay), which is the convention that reproduces the
//   published CDNOW values (see the paper check); periodEnd: 'end-of-cutoff-day' adds one day.
// - Customers listed in customerIds without any occasion are kept as prospects: x = 0, t_x, T,
//   first/last purchase NaN.

export type TimeUnit = 'day' | 'week';

export interface RawTransaction {
  customerId: string;
  /** A Date, epoch milliseconds, or an ISO 8601 string ('1997-01-01' is that UTC day). */
  timestamp: Date | number | string;
  amount: number;
}

export interface PrepareOptions {
  /** Last day whose transactions are used. */
  cutoff: Date | number | string;
  timeUnit?: TimeUnit;
  /** Where the observation period ends (default 'start-of-cutoff-day'). */
  periodEnd?: 'start-of-cutoff-day' | 'end-of-cutoff-day';
  /** Known customers to keep even without purchases (they become prospects). */
  customerIds?: Iterable<string>;
  /** Minutes to add to UTC before taking the calendar day (e.g. 60 for CET). Default 0. */
  utcOffsetMinutes?: number;
}

/** Column-oriented per-customer summaries: index i across all arrays is one customer. */
export interface CustomerSummaries {
  size: number;
  ids: string[];
  timeUnit: TimeUnit;
  /** Days per model time unit (1 or 7). */
  unitDays: number;
  /** The cut-off as a day number (days since 1970-01-01). */
  cutoffDay: number;
  /** The day number the observation period ends at (T is measured to it). */
  periodEndDay: number;
  /** x: repeat purchase occasions. */
  x: Float64Array;
  /** t_x in time units (NaN for prospects). */
  tx: Float64Array;
  /** T in time units (NaN for prospects). */
  T: Float64Array;
  /** Mean value of the repeat occasions (0 when x = 0). */
  monetary: Float64Array;
  /** Net spend over all rows up to the cut-off, refunds included. */
  totalSpend: Float64Array;
  /** Day numbers of the first, last and next-to-last occasion (NaN when there is none). */
  firstDay: Float64Array;
  lastDay: Float64Array;
  previousDay: Float64Array;
  /** Rows that were skipped (bad timestamp, amount or id) and rows after the cut-off. */
  skippedRows: number;
  rowsAfterCutoff: number;
}

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a timestamp; NaN when it cannot be parsed. */
export function toDayNumber(timestamp: Date | number | string, utcOffsetMinutes = 0): number {
  let ms: number;
  if (timestamp instanceof Date) ms = timestamp.getTime();
  else if (typeof timestamp === 'number') ms = timestamp;
  else ms = Date.parse(timestamp);
  if (!Number.isFinite(ms)) return Number.NaN;
  return Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS);
}

/** 'YYYY-MM-DD' of a day number. */
export function dayToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function prepareTransactions(
  transactions: Iterable<RawTransaction>,
  options: PrepareOptions,
): CustomerSummaries {
  const timeUnit = options.timeUnit ?? 'week';
  const unitDays = timeUnit === 'week' ? 7 : 1;
  const offset = options.utcOffsetMinutes ?? 0;
  const cutoffDay = toDayNumber(options.cutoff, offset);
  if (!Number.isFinite(cutoffDay)) throw new Error(`invalid cutoff: ${String(options.cutoff)}`);
  const periodEndDay = cutoffDay + (options.periodEnd === 'end-of-cutoff-day' ? 1 : 0);

  const index = new Map<string, number>();
  const ids: string[] = [];
  for (const id of options.customerIds ?? []) {
    if (!index.has(id)) {
      index.set(id, ids.length);
      ids.push(id);
    }
  }
  const rowCustomer: number[] = [];
  const rowDay: number[] = [];
  const rowAmount: number[] = [];
  let skippedRows = 0;
  let rowsAfterCutoff = 0;
  for (const t of transactions) {
    const day = toDayNumber(t.timestamp, offset);
    if (typeof t.customerId !== 'string' || t.customerId === '' || !Number.isFinite(day)) {
      skippedRows++;
      continue;
    }
    if (!Number.isFinite(t.amount)) {
      skippedRows++;
      continue;
    }
    if (day > cutoffDay) {
      rowsAfterCutoff++;
      continue;
    }
    let c = index.get(t.customerId);
    if (c === undefined) {
      c = ids.length;
      index.set(t.customerId, c);
      ids.push(t.customerId);
    }
    rowCustomer.push(c);
    rowDay.push(day);
    rowAmount.push(t.amount);
  }

  const n = ids.length;
  const rows = rowCustomer.length;
  // Counting sort of the rows by customer.
  const start = new Int32Array(n + 1);
  for (let r = 0; r < rows; r++) start[rowCustomer[r]! + 1]!++;
  for (let c = 0; c < n; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, n);
  const days = new Float64Array(rows);
  const amounts = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = rowCustomer[r]!;
    const at = fill[c]!++;
    days[at] = rowDay[r]!;
    amounts[at] = rowAmount[r]!;
  }

  const x = new Float64Array(n);
  const tx = new Float64Array(n).fill(Number.NaN);
  const T = new Float64Array(n).fill(Number.NaN);
  const monetary = new Float64Array(n);
  const totalSpend = new Float64Array(n);
  const firstDay = new Float64Array(n).fill(Number.NaN);
  const lastDay = new Float64Array(n).fill(Number.NaN);
  const previousDay = new Float64Array(n).fill(Number.NaN);
  for (let c = 0; c < n; c++) {
    const lo = start[c]!;
    const hi = start[c + 1]!;
    sortByDay(days, amounts, lo, hi);
    let occasions = 0;
    let repeatValue = 0;
    let spend = 0;
    let r = lo;
    while (r < hi) {
      const day = days[r]!;
      let net = 0;
      let purchase = false;
      while (r < hi && days[r] === day) {
        const a = amounts[r]!;
        net += a;
        if (a >= 0) purchase = true;
        r++;
      }
      spend += net;
      if (!purchase) continue;
      if (occasions === 0) firstDay[c] = day;
      else repeatValue += Math.max(0, net);
      previousDay[c] = lastDay[c]!;
      lastDay[c] = day;
      occasions++;
    }
    totalSpend[c] = spend;
    if (occasions === 0) {
      previousDay[c] = Number.NaN;
      continue;
    }
    x[c] = occasions - 1;
    monetary[c] = occasions > 1 ? repeatValue / (occasions - 1) : 0;
    tx[c] = (lastDay[c]! - firstDay[c]!) / unitDays;
    T[c] = (periodEndDay - firstDay[c]!) / unitDays;
  }
  return {
    size: n,
    ids,
    timeUnit,
    unitDays,
    cutoffDay,
    periodEndDay,
    x,
    tx,
    T,
    monetary,
    totalSpend,
    firstDay,
    lastDay,
    previousDay,
    skippedRows,
    rowsAfterCutoff,
  };
}

/**
 * Sorts days[lo, hi) ascending, carrying amounts along, amounts ascending within a day (insertion sort;
 * segments are short). Ordering the amounts too makes each day's sum, and so every summary and fit,
 * the same bit for bit whatever order the rows arrived in (a parallel Scan returns them in any order).
 */
function sortByDay(days: Float64Array, amounts: Float64Array, lo: number, hi: number): void {
  if (hi - lo > 64) {
    const order = Array.from({ length: hi - lo }, (_, i) => lo + i);
    order.sort((i, j) => days[i]! - days[j]! || amounts[i]! - amounts[j]!);
    const d = order.map((i) => days[i]!);
    const a = order.map((i) => amounts[i]!);
    days.set(d, lo);
    amounts.set(a, lo);
    return;
  }
  for (let i = lo + 1; i < hi; i++) {
    const d = days[i]!;
    const a = amounts[i]!;
    let j = i - 1;
    while (j >= lo && (days[j]! > d || (days[j] === d && amounts[j]! > a))) {
      days[j + 1] = days[j]!;
      amounts[j + 1] = amounts[j]!;
      j--;
    }
    days[j + 1] = d;
    amounts[j + 1] = a;
  }
}

/** One customer's summary as a plain object (dates as YYYY-MM-DD), e.g. for display or tests. */
export function summaryRecord(s: CustomerSummaries, i: number) {
  const day = (v: number): string | null => (Number.isNaN(v) ? null : dayToIsoDate(v));
  return {
    customerId: s.ids[i]!,
    x: s.x[i]!,
    tx: s.tx[i]!,
    T: s.T[i]!,
    monetary: s.monetary[i]!,
    totalSpend: s.totalSpend[i]!,
    firstPurchase: day(s.firstDay[i]!),
    lastPurchase: day(s.lastDay[i]!),
  };
}
