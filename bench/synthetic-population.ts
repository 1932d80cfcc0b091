/**
 * A synthetic customer base drawn from fitted BG/NBD and Gamma-Gamma models (the stories of Fader,
 * Hardie and Lee 2005), as raw transactions in compact columns, deterministic for a given seed:
 *
 * - first purchase uniform over an acquisition window (CDNOW: the 12 weeks from 1997-01-01);
 * - lambda ~ Gamma(r, rate alpha) per week, p ~ Beta(a, b); while alive the customer buys as a
 *   Poisson process of rate lambda and drops out after each repeat purchase with probability p;
 * - nu ~ Gamma(q, rate gamma) per customer, and each purchase is worth Gamma(p, rate nu) dollars
 *   (rounded to cents);
 * - purchases are kept up to the start of the cut-off day (the period prepareTransactions measures
 *   T to), and the rows come out in day order, as a transaction log would.
 */
import {
  type BgNbdParams,
  type GammaGammaParams,
  parseCdnow,
  type RawTransaction,
} from '../functions/scoring/index.ts';

const DAY_MS = 86_400_000;

/** xoshiro128** (Blackman and Vigna), seeded through splitmix32; 53-bit uniforms on [0, 1). */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  constructor(seed: number) {
    let z = seed >>> 0;
    const next = () => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.nextUint32() >>> 5) * 67_108_864 + (this.nextUint32() >>> 6)) / 9_007_199_254_740_992;
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Gamma(shape, rate) by Marsaglia and Tsang (2000), with the u^(1/shape) boost for shape < 1. */
  gamma(shape: number, rate = 1): number {
    if (shape < 1) return (this.gamma(shape + 1) * (1 - this.uniform()) ** (1 / shape)) / rate;
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let z: number;
      let v: number;
      do {
        z = this.normal();
        v = 1 + c * z;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (u < 1 - 0.0331 * z * z * z * z) return (d * v) / rate;
      if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return (d * v) / rate;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /** Exponential with the given rate. */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export interface PopulationOptions {
  customers: number;
  bgNbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  seed?: number;
  /** First day of the acquisition window (default 1997-01-01, as CDNOW). */
  start?: string;
  /** Length of the acquisition window in days (default 84: 12 weeks). */
  acquisitionDays?: number;
  /** The cut-off day: purchases happen before its start (default 1997-09-30). */
  cutoff?: string;
  /** Also return the exact (continuous-time, before any day rounding) summaries. */
  exact?: boolean;
}

/** Per-customer x, t_x, T (weeks) and mean repeat value, from the generated times themselves. */
export interface ExactSummaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  monetary: Float64Array;
}

/** Raw transactions in columns: row k is customer ids[customer[k]] at timestamp[k] (ms) for amount[k]. */
export interface SyntheticPopulation {
  ids: string[];
  rows: number;
  customer: Int32Array;
  timestamp: Float64Array;
  amount: Float64Array;
  /** Repeat purchases generated (before same-day occasions merge in prepareTransactions). */
  repeatPurchases: number;
  /** Sum of the amounts, as a determinism fingerprint. */
  totalAmount: number;
  exact?: ExactSummaries;
}

/** Growable typed column. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.ceil(this.data.length * 1.5) + 16);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

export function syntheticPopulation(options: PopulationOptions): SyntheticPopulation {
  const { customers, bgNbd, gammaGamma } = options;
  const random = new Random(options.seed ?? 1);
  const startDay = Date.parse(options.start ?? '1997-01-01') / DAY_MS;
  const acquisitionDays = options.acquisitionDays ?? 84;
  const horizonDays = Date.parse(options.cutoff ?? '1997-09-30') / DAY_MS - startDay;
  if (!(horizonDays > acquisitionDays)) throw new Error('the cut-off must fall after the acquisition window');

  const ids = new Array<string>(customers);
  const width = String(customers).length;
  const guess = Math.ceil(customers * 2.5);
  const customer = new Column(new Int32Array(guess), (n) => new Int32Array(n));
  const time = new Column(new Float64Array(guess), (n) => new Float64Array(n));
  const amount = new Column(new Float64Array(guess), (n) => new Float64Array(n));
  let repeatPurchases = 0;
  const exact: ExactSummaries | undefined = options.exact
    ? {
        x: new Float64Array(customers),
        tx: new Float64Array(customers),
        T: new Float64Array(customers),
        monetary: new Float64Array(customers),
      }
    : undefined;
  const value = (nu: number) => Math.round(random.gamma(gammaGamma.p, nu) * 100) / 100;
  for (let c = 0; c < customers; c++) {
    ids[c] = `S${String(c + 1).padStart(width, '0')}`;
    const first = random.uniform() * acquisitionDays;
    const lambdaPerDay = random.gamma(bgNbd.r, bgNbd.alpha) / 7;
    const dropout = random.beta(bgNbd.a, bgNbd.b);
    const nu = random.gamma(gammaGamma.q, gammaGamma.gamma);
    customer.push(c);
    time.push(first);
    amount.push(value(nu));
    let t = first;
    let last = first;
    let repeats = 0;
    let repeatValue = 0;
    for (;;) {
      t += random.exponential(lambdaPerDay);
      if (!(t < horizonDays)) break;
      const v = value(nu);
      customer.push(c);
      time.push(t);
      amount.push(v);
      last = t;
      repeats++;
      repeatValue += v;
      if (random.uniform() < dropout) break;
    }
    repeatPurchases += repeats;
    if (exact) {
      exact.x[c] = repeats;
      exact.tx[c] = (last - first) / 7;
      exact.T[c] = (horizonDays - first) / 7;
      exact.monetary[c] = repeats > 0 ? repeatValue / repeats : 0;
    }
  }

  // Day order: a stable counting sort of the rows by day, then timestamps in milliseconds.
  const rows = customer.length;
  const days = Math.ceil(horizonDays);
  const start = new Int32Array(days + 1);
  for (let k = 0; k < rows; k++) start[Math.floor(time.data[k]!) + 1]!++;
  for (let d = 0; d < days; d++) start[d + 1]! += start[d]!;
  const sortedCustomer = new Int32Array(rows);
  const sortedTimestamp = new Float64Array(rows);
  const sortedAmount = new Float64Array(rows);
  let totalAmount = 0;
  for (let k = 0; k < rows; k++) {
    const at = start[Math.floor(time.data[k]!)]!++;
    sortedCustomer[at] = customer.data[k]!;
    sortedTimestamp[at] = Math.floor((startDay + time.data[k]!) * DAY_MS);
    sortedAmount[at] = amount.data[k]!;
    totalAmount += amount.data[k]!;
  }
  return {
    ids,
    rows,
    customer: sortedCustomer,
    timestamp: sortedTimestamp,
    amount: sortedAmount,
    repeatPurchases,
    totalAmount: Math.round(totalAmount * 100) / 100,
    ...(exact ? { exact } : {}),
  };
}

/**
 * The rows as RawTransactions, one reused object (prepareTransactions reads each row once and keeps
 * nothing of it), so iterating allocates nothing per row.
 */
export function* transactionsOf(population: SyntheticPopulation): Generator<RawTransaction> {
  const row: RawTransaction = { customerId: '', timestamp: 0, amount: 0 };
  const { ids, customer, timestamp, amount } = population;
  for (let k = 0; k < population.rows; k++) {
    row.customerId = ids[customer[k]!]!;
    row.timestamp = timestamp[k]!;
    row.amount = amount[k]!;
    yield row;
  }
}

/** The CDNOW calibration period of Fader, Hardie and Lee (2005): to 1997-09-30, in weeks. */
export const CDNOW_CALIBRATION = { cutoff: '1997-09-30', timeUnit: 'week' } as const;

/**
 * CDNOW_master.txt (or the sample) as RawTransactions. parseCdnow takes the 4-column master rows
 * but not the master's header line (`customer_id date number_of_cds dollar_value`), so a first line
 * that does not start with a digit is dropped here.
 */
export function readCdnow(text: string): RawTransaction[] {
  const firstLineEnd = text.indexOf('\n');
  const body = /^\s*\d/.test(text.slice(0, firstLineEnd)) ? text : text.slice(firstLineEnd + 1);
  return parseCdnow(body);
}
