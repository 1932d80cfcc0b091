import { z } from 'zod';
import { validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { zodDetails } from '../http/zod-details';
import { RUN_ID_PATTERN } from '../scoring-job/scoring-run';
import { scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';

const runs = scoringRunStoreFromEnv();

const querySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(RUN_ID_PATTERN, 'is not a cursor from a previous page').optional(),
});

/** GET /scoring/runs: newest first, a summary of each (the whole record at /scoring/runs/{id}). */
export const handler = httpHandler('list-scoring-runs', {}, async (req) => {
  const query = querySchema.safeParse(req.query);
  if (!query.success) throw validationFailed(zodDetails(query.error, 'query'));
  const page = await runs.list(query.data);
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
});
