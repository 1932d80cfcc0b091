import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { segmentServiceFromEnv } from '../segments/segments-from-env';

const segments = segmentServiceFromEnv();

export const handler = httpHandler('list-segments', {}, async () =>
  jsonResponse(200, { items: await segments.list() }),
);
