import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { listScoringRunsQuerySchema } from '../scoring-job/list-scoring-runs-query';
import { scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';

const runs = scoringRunStoreFromEnv();

/** GET /scoring/runs: newest first, a summary of each (the whole record at /scoring/runs/{id}). */
export const handler = httpHandler(
  'list-scoring-runs',
  { query: listScoringRunsQuerySchema },
  async (req) => {
    const page = await runs.list(req.query);
    return jsonResponse(200, {
      runs: page.runs.map((run) => ({
        runId: run.runId,
        status: run.status,
        trigger: run.trigger,
        asOf: run.asOf,
        timeUnit: run.timeUnit,
        requestedAt: run.requestedAt,
        ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
        ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
        ...(run.progress ? { progress: run.progress } : {}),
        ...(run.drift ? { drift: run.drift } : {}),
        ...(run.error ? { error: run.error } : {}),
      })),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
