import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { suppressionInputSchema } from '../suppressions/suppression';
import { suppressionServiceFromEnv } from '../suppressions/suppressions-from-env';

const suppressions = suppressionServiceFromEnv();

/** POST /suppressions: 201 when added, 200 with the first entry when the address was suppressed already. */
export const handler = httpHandler('create-suppression', { body: suppressionInputSchema }, async (req) => {
  const { suppression, created } = await suppressions.add(req.body, `api:${req.auth?.keyId ?? 'unknown'}`);
  return jsonResponse(created ? 201 : 200, suppression);
});
