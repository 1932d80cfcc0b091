import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { RUN_ID_PATTERN } from '../runs/run';
import { runView } from '../runs/run-view';
import { runStoreFromEnv } from '../runs/runs-from-env';
import { NotFoundError } from '../shared/domain-errors';

const runs = runStoreFromEnv();

/** GET /campaigns/{campaignId}/runs/{runId}: the run with its live counts. */
export const handler = httpHandler('get-campaign-run', {}, async (req) => {
  const { campaignId = '', runId = '' } = req.pathParameters;
  const run = RUN_ID_PATTERN.test(runId) ? await runs.get(runId) : undefined;
  if (!run || run.campaignId !== campaignId)
    throw new NotFoundError(`No run ${runId} of campaign ${campaignId}.`);
  return jsonResponse(200, runView(run, await runs.countsOf(runId), new Date()));
});
