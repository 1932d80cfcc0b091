import { z } from 'zod';
import { notFound } from '../http/http-error';
import { RUN_ID_PATTERN, type ScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

/** `GET /analytics/...`: which run to read. */
export const analyticsQuerySchema = z.strictObject({
  runId: z
    .string()
    .regex(RUN_ID_PATTERN, 'is not a scoring run id')
    .optional()
    .describe('A finished run (default: the latest).'),
});

/** The run an analytics request reads: `?runId=` (finished), else the latest finished run. */
export const runForAnalytics = async (
  runs: ScoringRunStore,
  query: z.output<typeof analyticsQuerySchema>,
): Promise<ScoringRun> => {
  if (query.runId) {
    const run = await runs.get(query.runId);
    if (!run) throw notFound(`No scoring run ${query.runId}.`);
    if (run.status !== 'succeeded')
      throw notFound(`Scoring run ${run.runId} has not finished (status ${run.status}).`);
    return run;
  }
  const latest = await runs.latestSucceeded();
  if (!latest) throw notFound('No scoring run has finished yet: start one with POST /scoring/runs.');
  return latest;
};

export const analyticsHeader = (run: ScoringRun) => ({
  runId: run.runId,
  asOf: run.asOf,
  timeUnit: run.timeUnit,
  finishedAt: run.finishedAt,
});
