import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { previewSegment } from '../segments/preview-segment';
import { segmentPreviewRequestSchema } from '../segments/segment';
import { audienceReaderFromEnv, segmentServiceFromEnv } from '../segments/segments-from-env';
import { suppressionStoreFromEnv } from '../suppressions/suppressions-from-env';

const segments = segmentServiceFromEnv();
const audience = audienceReaderFromEnv();
const suppressions = suppressionStoreFromEnv();
const suppressedOf = suppressions.suppressedOf.bind(suppressions);
const suppressionList = suppressions.allKeys.bind(suppressions);

/** POST /segments/preview: what a rule selects now, without saving it. */
export const handler = httpHandler('preview-segment', { body: segmentPreviewRequestSchema }, async (req) => {
  const { rule, segments: saved } = await segments.checkRule(req.body.rule);
  return jsonResponse(200, await previewSegment({ audience, suppressedOf, suppressionList }, rule, saved));
});
