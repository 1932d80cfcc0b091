import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { RUN_ID_PATTERN } from '../runs/run';
import { listRecipientsQuerySchema } from '../runs/run-requests';
import { runStoreFromEnv } from '../runs/runs-from-env';
import { NotFoundError } from '../shared/domain-errors';

const runs = runStoreFromEnv();

/** GET /campaigns/{campaignId}/runs/{runId}/recipients?status=: a page of send records. */
export const handler = httpHandler(
  'list-campaign-recipients',
  { query: listRecipientsQuerySchema },
  async (req) => {
    const { campaignId = '', runId = '' } = req.pathParameters;
    const run = RUN_ID_PATTERN.test(runId) ? await runs.get(runId) : undefined;
    if (!run || run.campaignId !== campaignId)
      throw new NotFoundError(`No run ${runId} of campaign ${campaignId}.`);
    const page = await runs.recipients(runId, {
      limit: req.query.limit,
      ...(req.query.status ? { status: req.query.status } : {}),
      ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    });
    // The claim's id is the sender's bookkeeping, not the client's.
    const items = page.items.map(({ claimId: _claim, ...record }) => record);
    return jsonResponse(200, { items, ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
);
