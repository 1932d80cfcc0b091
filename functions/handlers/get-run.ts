import { resourceEnv } from '../../lib/definition';
import { notFound, validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { LEGACY_RUN_ID_PATTERN, readLegacyReactivationRun } from '../runs/legacy-reactivation-run';
import { RUN_ID_PATTERN } from '../runs/run';
import { runView } from '../runs/run-view';
import { runStoreFromEnv } from '../runs/runs-from-env';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const runs = runStoreFromEnv();
const table = requiredEnv(resourceEnv.table('jobs'));

/**
 * GET /runs/{runId}: any campaign run by its id alone (the same view as
 * GET /campaigns/{campaignId}/runs/{runId}, which it names in `Content-Location`), and the runs of
 * the retired reactivation function as they were recorded.
 */
export const handler = httpHandler('get-run', {}, async (req) => {
  const runId = req.pathParameters.runId ?? '';
  if (RUN_ID_PATTERN.test(runId)) {
    const run = await runs.get(runId);
    if (!run) throw notFound(`No run ${runId}.`);
    return jsonResponse(200, runView(run, await runs.countsOf(runId), new Date()), {
      'content-location': `/campaigns/${run.campaignId}/runs/${runId}`,
    });
  }
  if (LEGACY_RUN_ID_PATTERN.test(runId)) {
    const legacy = await readLegacyReactivationRun(documentClient(), table, runId);
    if (!legacy) throw notFound(`No run ${runId}.`);
    return jsonResponse(200, legacy);
  }
  throw validationFailed([
    { path: 'path.runId', message: 'is not a run id (run_<campaign>_<time> or reactivation-<time>)' },
  ]);
});
