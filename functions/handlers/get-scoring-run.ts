import { notFound, validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { RUN_ID_PATTERN } from '../scoring-job/scoring-run';
import { scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';

const runs = scoringRunStoreFromEnv();

export const handler = httpHandler('get-scoring-run', {}, async (req) => {
  const runId = req.pathParameters.runId ?? '';
  if (!RUN_ID_PATTERN.test(runId))
    throw validationFailed([{ path: 'path.runId', message: 'is not a scoring run id' }]);
  const run = await runs.get(runId);
  if (!run) throw notFound(`No scoring run ${runId}.`);
  const { lease: _lease, ...visible } = run;
  return jsonResponse(200, visible);
});
