import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export type CsvRow =
  | { readonly row: number; readonly line: number; readonly cells: string[] }
  | { readonly row: number; readonly line: number; readonly error: string };

/**
 * Streams a UTF-8 CSV (with or without BOM) as numbered rows: the header is row 0, data rows count
 * from 1, `line` is the file line on which the row ends. A record the parser cannot read is yielded
 * as an error row in its place, so no row is ever silently lost.
 */
export async function* readCsvRows(input: Readable): AsyncGenerator<CsvRow> {
  const skipped: { line: number; error: string }[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        skipped.push({
          line: Number((error as { lines?: unknown } | undefined)?.lines ?? 0),
          error: error?.message ?? 'unreadable record',
        });
        return undefined;
      },
    }),
  );
  let row = 0;
  const flushSkipped = function* (beforeLine: number) {
    while (skipped.length > 0 && skipped[0]!.line <= beforeLine) {
      const s = skipped.shift()!;
      yield { row: row++, line: s.line, error: s.error };
    }
  };
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield* flushSkipped(info.lines);
    yield { row: row++, line: info.lines, cells: record };
  }
  yield* flushSkipped(Number.POSITIVE_INFINITY);
}
