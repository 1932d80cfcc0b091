import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { segmentInputSchema } from '../segments/segment';
import { segmentServiceFromEnv } from '../segments/segments-from-env';

const segments = segmentServiceFromEnv();

/** POST /segments: 201 with the saved segment; 422 naming the rule's faulty node. */
export const handler = httpHandler('create-segment', { body: segmentInputSchema }, async (req) => {
  const segment = await segments.create(req.body);
  return jsonResponse(201, segment, { location: `/segments/${segment.segmentId}` });
});
