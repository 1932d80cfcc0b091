import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from './logger';
import { METRIC, MetricUnit, metrics } from './metrics';
import { observed } from './observed';

const context = {
  functionName: 'rekindle-test-import-profiles',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:rekindle-test-import-profiles',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 1000,
} as Context;

/** Everything written to stdout while `run` runs (Powertools writes both logs and EMF there). */
const captured = async (run: () => Promise<unknown>): Promise<Record<string, unknown>[]> => {
  const lines: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    }),
    vi.spyOn(console, 'log').mockImplementation((line) => void lines.push(String(line))),
    vi.spyOn(console, 'info').mockImplementation((line) => void lines.push(String(line))),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
};

afterEach(() => vi.restoreAllMocks());

describe('observed', () => {
  it('logs with the Lambda context and flushes the recorded metrics as embedded metric format', async () => {
    const handler = observed(async () => {
      logger.info('import step done');
      metrics.addMetric(METRIC.rowsImported, MetricUnit.Count, 42);
      return 'ok';
    });
    const out = await captured(() => handler({}, context));
    const log = out.find((l) => l['message'] === 'import step done');
    expect(log).toMatchObject({ function_request_id: 'req-1', function_name: context.functionName });
    const emf = out.find((l) => l['RowsImported'] !== undefined);
    expect(emf).toMatchObject({ RowsImported: 42 });
    expect(JSON.stringify(emf?.['_aws'])).toContain('"Namespace":"Rekindle"');
  });

  it('flushes what a failed invocation recorded, and writes nothing when nothing was recorded', async () => {
    const failing = observed(async () => {
      metrics.addMetric(METRIC.importsFailed, MetricUnit.Count, 1);
      throw new Error('boom');
    });
    const out = await captured(() => failing({}, context).catch(() => undefined));
    expect(out.some((l) => l['ImportsFailed'] === 1)).toBe(true);
    const quiet = await captured(() => observed(async () => 'ok')({}, context));
    expect(quiet.filter((l) => l['_aws'] !== undefined && l['ColdStart'] === undefined)).toEqual([]);
    expect(quiet.filter((l) => String(l['message'] ?? '').includes('No application metrics'))).toEqual([]);
  });
});
