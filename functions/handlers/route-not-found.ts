import { notFound } from '../http/http-error';
import { httpHandler } from '../http/http-handler';

export const handler = httpHandler('route-not-found', {}, async (req) => {
  throw notFound(`No route ${req.event.requestContext.http.method} ${req.event.rawPath}; see /openapi.json.`);
});
