import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { segmentServiceFromEnv } from '../segments/segments-from-env';

const segments = segmentServiceFromEnv();

export const handler = httpHandler('get-segment', {}, async (req) =>
  jsonResponse(200, await segments.get(req.pathParameters.segmentId ?? '')),
);
