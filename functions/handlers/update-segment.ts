import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { segmentInputSchema } from '../segments/segment';
import { segmentServiceFromEnv } from '../segments/segments-from-env';

const segments = segmentServiceFromEnv();

/** PUT /segments/{segmentId}: the new version; a rule that would make a cycle is a 422. */
export const handler = httpHandler('update-segment', { body: segmentInputSchema }, async (req) =>
  jsonResponse(200, await segments.update(req.pathParameters.segmentId ?? '', req.body)),
);
