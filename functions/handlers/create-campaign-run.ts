import { campaignStoreFromEnv } from '../campaigns/campaigns-from-env';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { fireRun } from '../runs/fire-run';
import { runView } from '../runs/run-view';
import { runStartsFromEnv, runStoreFromEnv } from '../runs/runs-from-env';
import { logger } from '../shared/logger';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const campaigns = campaignStoreFromEnv();
const templates = templateServiceFromEnv();
const runs = runStoreFromEnv();
const start = runStartsFromEnv();

/** POST /campaigns/{campaignId}/runs: 202 with the queued run and its Location; 409 unless active. */
export const handler = httpHandler('create-campaign-run', {}, async (req) => {
  const campaignId = req.pathParameters.campaignId ?? '';
  const run = await fireRun(
    {
      campaigns,
      templates: { get: (id) => templates.get(id).catch(() => undefined) },
      runs,
      start: (message) => start(message),
    },
    campaignId,
    req.auth?.keyId,
  );
  logger.info('campaign run fired', { campaignId, runId: run.runId, keyId: req.auth?.keyId });
  return jsonResponse(202, runView(run, {}, new Date()), {
    location: `/campaigns/${campaignId}/runs/${run.runId}`,
  });
});
