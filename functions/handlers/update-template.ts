import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { templateInputSchema } from '../templates/template';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();

/** PUT /templates/{templateId}: the next version; runs keep the version they sent. */
export const handler = httpHandler('update-template', { body: templateInputSchema }, async (req) =>
  jsonResponse(200, await templates.update(req.pathParameters.templateId ?? '', req.body)),
);
