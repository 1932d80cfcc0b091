import { resourceEnv } from '../../lib/definition';
import { DynamoDbCampaignRunStore } from '../campaigns/dynamodb-campaign-run-store';
import { notFound, validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const runs = new DynamoDbCampaignRunStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

export const handler = httpHandler('get-run', {}, async (req) => {
  const runId = req.pathParameters.runId ?? '';
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(runId)) {
    throw validationFailed([{ path: 'path.runId', message: 'is not a run id' }]);
  }
  const run = await runs.get(runId);
  if (!run) throw notFound(`No run ${runId}.`);
  // The scan checkpoint is the job's own business (table keys), not the run's report.
  const { checkpoint: _checkpoint, ...visible } = run;
  return jsonResponse(200, visible);
});
