import { conflict, validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import {
  AsOfInFutureError,
  RunInProgressError,
  requestScoringRun,
  scoringRunRequestSchema,
} from '../scoring-job/request-scoring-run';
import { scoringQueueFromEnv, scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';
import { scoringTimeUnit } from '../scoring-job/scoring-settings';

const runs = scoringRunStoreFromEnv();
const enqueue = scoringQueueFromEnv();

/** POST /scoring/runs: 202 with the queued run; the scoring function does the work. */
export const handler = httpHandler('create-scoring-run', { body: scoringRunRequestSchema }, async (req) => {
  try {
    const run = await requestScoringRun({ runs, enqueue }, req.body ?? {}, { timeUnit: scoringTimeUnit() });
    return jsonResponse(202, run, { location: `/scoring/runs/${run.runId}` });
  } catch (error) {
    if (error instanceof RunInProgressError)
      throw conflict(error.message, [{ path: 'runId', message: error.runId }]);
    if (error instanceof AsOfInFutureError)
      throw validationFailed([
        { path: 'asOf', message: 'is in the future: a run can only use data that exists' },
      ]);
    throw error;
  }
});
