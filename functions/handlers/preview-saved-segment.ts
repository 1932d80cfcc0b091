import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { previewSegment } from '../segments/preview-segment';
import { rulesOf } from '../segments/segment-service';
import { audienceReaderFromEnv, segmentServiceFromEnv } from '../segments/segments-from-env';
import { suppressionStoreFromEnv } from '../suppressions/suppressions-from-env';

const segments = segmentServiceFromEnv();
const audience = audienceReaderFromEnv();
const suppressions = suppressionStoreFromEnv();
const suppressedOf = suppressions.suppressedOf.bind(suppressions);
const suppressionList = suppressions.allKeys.bind(suppressions);

/** GET /segments/{segmentId}/preview: what a saved segment selects now. */
export const handler = httpHandler('preview-saved-segment', {}, async (req) => {
  const segment = await segments.get(req.pathParameters.segmentId ?? '');
  const saved = rulesOf(await segments.list());
  return jsonResponse(200, {
    segmentId: segment.segmentId,
    ...(await previewSegment({ audience, suppressedOf, suppressionList }, segment.rule, saved)),
  });
});
