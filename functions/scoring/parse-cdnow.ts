// Parser for the CDNOW transaction logs used by Fader, Hardie and Lee (2005): whitespace
// separated, CRLF or LF. CDNOW_sample.txt has 5 columns (master id, sample id, YYYYMMDD, CDs,
// dollars), CDNOW_master.txt 4 (id, YYYYMMDD, CDs, dollars) after a header line. The customer id is
// the first column.

import type { RawTransaction } from './prepare-transactions.ts';

export function parseCdnow(text: string): RawTransaction[] {
  const out: RawTransaction[] = [];
  let lineNumber = 0;
  for (const line of text.split(/\r?\n/)) {
    lineNumber++;
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    // The master file as shipped opens with a header line (customer_id date number_of_cds dollar_value).
    if (lineNumber === 1 && !/^\d/.test(fields[0]!)) continue;
    if (fields.length !== 4 && fields.length !== 5) {
      throw new Error(`CDNOW line ${lineNumber}: expected 4 or 5 columns, got ${fields.length}`);
    }
    const date = fields[fields.length - 3]!;
    const dollars = Number(fields[fields.length - 1]);
    if (!/^\d{8}$/.test(date) || !Number.isFinite(dollars))
      throw new Error(`CDNOW line ${lineNumber}: bad row`);
    out.push({
      customerId: fields[0]!,
      timestamp: Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))),
      amount: dollars,
    });
  }
  return out;
}
