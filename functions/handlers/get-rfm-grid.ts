import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { analyticsHeader, analyticsQuerySchema, runForAnalytics } from '../scoring-job/run-for-analytics';
import { scoringRunStoreFromEnv } from '../scoring-job/scoring-runs-from-env';
import { setting } from '../shared/settings';

const runs = scoringRunStoreFromEnv();

/** GET /analytics/rfm: the recency x frequency grid (counts and revenue) the run computed. */
export const handler = httpHandler('get-rfm-grid', { query: analyticsQuerySchema }, async (req) => {
  const run = await runForAnalytics(runs, req.query);
  return jsonResponse(200, {
    ...analyticsHeader(run),
    rows: 'recency score 1-5 (5 = bought most recently)',
    columns: 'frequency score 1-5 (5 = buys most often)',
    currency: setting('baseCurrency'),
    ...(run.rfmGrid as object),
  });
});
