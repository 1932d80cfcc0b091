import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { analyticsHeader, analyticsQuerySchema, runForAnalytics } from '../scoring-job/run-for-analytics';
import { scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';
import { setting } from '../shared/settings';

const runs = scoringRunStoreFromEnv();

/** GET /analytics/value-matrix: value tiers x churn-risk bands (counts, CLV, action) of the run. */
export const handler = httpHandler('get-value-matrix', { query: analyticsQuerySchema }, async (req) => {
  const run = await runForAnalytics(runs, req.query);
  return jsonResponse(200, {
    ...analyticsHeader(run),
    currency: setting('baseCurrency'),
    ...(run.valueMatrix as object),
  });
});
