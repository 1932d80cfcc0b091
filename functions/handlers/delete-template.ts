import { httpHandler } from '../http/http-handler';
import { noContent } from '../http/json-response';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();

/** DELETE /templates/{templateId}: 204, or 409 naming the campaigns that send it. */
export const handler = httpHandler('delete-template', {}, async (req) => {
  await templates.delete(req.pathParameters.templateId ?? '');
  return noContent();
});
