import { httpHandler } from '../http/http-handler';
import { noContent } from '../http/json-response';
import { logger } from '../shared/logger';
import { suppressionServiceFromEnv } from '../suppressions/suppressions-from-env';

const suppressions = suppressionServiceFromEnv();

/** DELETE /suppressions/{address}: mail or text the address again (admin: it undoes a bounce or complaint). */
export const handler = httpHandler('delete-suppression', {}, async (req) => {
  await suppressions.remove(decodeURIComponent(req.pathParameters.address ?? ''));
  // The address is personal data: the log says who lifted a suppression, not whose.
  logger.info('suppression removed', { keyId: req.auth?.keyId });
  return noContent();
});
