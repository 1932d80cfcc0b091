import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { listRunsQuerySchema } from '../runs/run-requests';
import { runView } from '../runs/run-view';
import { runStoreFromEnv } from '../runs/runs-from-env';

const runs = runStoreFromEnv();

/** GET /campaigns/{campaignId}/runs: the latest runs, newest first, each with its counts. */
export const handler = httpHandler('list-campaign-runs', { query: listRunsQuerySchema }, async (req) => {
  const campaignId = req.pathParameters.campaignId ?? '';
  const now = new Date();
  const items = await Promise.all(
    (await runs.listForCampaign(campaignId, req.query.limit)).map(async (run) =>
      runView(run, await runs.countsOf(run.runId), now),
    ),
  );
  return jsonResponse(200, { items });
});
