import { Readable } from 'node:stream';
import { ingestRecords } from './ingest-records';
import type { Manifest } from './manifest';

const FIRST = ['Mary', 'JOHN', 'Zoë', '王小明', 'Jürgen', 'Ann-Marie', 'josé', '欧阳娜娜'];
const LAST = ['Jones', 'smith', "O'Brien", 'Müller', 'van Dijk', 'Dupré'];
const DOMAINS = ['example.com', 'Example.COM', 'gmial.com', 'qq.com', 'hotmail.co.uk', '163.cmo'];
const CITIES = ['London', '"Leeds, West Yorkshire"', 'Zürich', '上海', '  Paris  '];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** One messy profile row: case, spaces, national and international phones, full-width digits, bad values. */
const messyRow = (i: number): string => {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[i % LAST.length]!;
  const local = `${first.toLowerCase()}.${i}`.replace(/[^a-z0-9.]/g, 'x');
  const email =
    i % 50 === 0
      ? 'not-an-email'
      : `${i % 3 === 0 ? ' ' : ''}${i % 2 ? local.toUpperCase() : local}@${DOMAINS[i % DOMAINS.length]}`;
  const n = `1${pad(i % 100_000, 5)}`;
  const phone =
    i % 40 === 0
      ? '12345'
      : i % 4 === 0
        ? `07911 ${n}`
        : i % 4 === 1
          ? `+44 7911 ${n}`
          : i % 4 === 2
            ? fullWidth(`07911${n}`)
            : `0044 (0)7911-${n.slice(0, 3)}-${n.slice(3)}`;
  const day = (i % 28) + 1;
  const month = (i % 12) + 1;
  const birthday =
    i % 3 === 0
      ? `${pad(day, 2)}/${pad(month, 2)}/19${50 + (i % 50)}`
      : `19${50 + (i % 50)}-${pad(month, 2)}-${pad(day, 2)}`;
  const name = i % 5 === 0 ? `"${last}, ${first}"` : `${first}  ${last}`;
  const city = CITIES[i % CITIES.length]!;
  const consent = i % 2 ? 'Yes' : 'no';
  const tier = i % 7 === 0 ? '"=HYPERLINK(""http://x"",""y"")"' : 'gold';
  return `${email},${phone},${name},${birthday},${city},${consent},C-${i},${tier}\r\n`;
};

/** A messy profile CSV of `rows` data rows, generated lazily in chunks (never held whole). */
export const messyProfileCsv = (rows: number): Readable =>
  Readable.from(
    (function* () {
      yield Buffer.from('E-mail,Mobile,Name,Date of Birth,City,Email opt-in,Customer No,attributes.tier\r\n');
      const CHUNK = 500;
      for (let start = 0; start < rows; start += CHUNK) {
        let text = '';
        for (let i = start; i < Math.min(rows, start + CHUNK); i++) text += messyRow(i);
        yield Buffer.from(text);
      }
    })(),
  );

export interface IngestBenchResult {
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly warnings: number;
  readonly ms: number;
  readonly rowsPerSecond: number;
  /** Highest resident set size sampled during the run. */
  readonly peakRssMb: number;
}

/**
 * Parses and cleans `rows` generated messy profile rows end to end (decode, detect, parse, map,
 * clean, validate), as the import pipeline does minus storage; for the pipeline's bench.
 */
export const benchIngest = async (rows = 100_000, manifest: Manifest = {}): Promise<IngestBenchResult> => {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const started = performance.now();
  let accepted = 0;
  let rejected = 0;
  let warnings = 0;
  let seen = 0;
  try {
    const context = {
      importId: 'bench',
      manifest,
      defaultCountry: 'GB',
      source: { name: 'bench', kind: 'internal' as const },
      now: new Date().toISOString(),
    };
    for await (const r of ingestRecords(messyProfileCsv(rows), 'profile', context)) {
      if ('fileErrors' in r) throw new Error(r.fileErrors.join('; '));
      seen++;
      if ('value' in r.result) accepted++;
      else rejected++;
      warnings += r.result.warnings?.length ?? 0;
      if ((seen & 1023) === 0) peak = Math.max(peak, process.memoryUsage.rss());
    }
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - started;
  return {
    rows: seen,
    accepted,
    rejected,
    warnings,
    ms: Math.round(ms),
    rowsPerSecond: Math.round((seen / ms) * 1000),
    peakRssMb: Math.round(peak / 2 ** 20),
  };
};
