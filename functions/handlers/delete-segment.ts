import { httpHandler } from '../http/http-handler';
import { noContent } from '../http/json-response';
import { segmentServiceFromEnv } from '../segments/segments-from-env';

const segments = segmentServiceFromEnv();

/** DELETE /segments/{segmentId}: 204, or 409 naming the segments and campaigns that use it. */
export const handler = httpHandler('delete-segment', {}, async (req) => {
  await segments.delete(req.pathParameters.segmentId ?? '');
  return noContent();
});
