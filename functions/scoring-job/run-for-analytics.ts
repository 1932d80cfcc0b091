import { z } from 'zod';
import { notFound, validationFailed } from '../http/http-error';
import { zodDetails } from '../http/zod-details';
import { RUN_ID_PATTERN, type ScoringRun } from './scoring-run';
import type { ScoringRunStore } from './scoring-run-store';

const querySchema = z.strictObject({
  runId: z.string().regex(RUN_ID_PATTERN, 'is not a scoring run id').optional(),
});

/** The run an analytics request reads: `?runId=` (finished), else the latest finished run. */
export const runForAnalytics = async (
  runs: ScoringRunStore,
  query: Readonly<Record<string, string>>,
): Promise<ScoringRun> => {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error, 'query'));
  if (parsed.data.runId) {
    const run = await runs.get(parsed.data.runId);
    if (!run) throw notFound(`No scoring run ${parsed.data.runId}.`);
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
