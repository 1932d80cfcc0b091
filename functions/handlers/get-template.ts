import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();

export const handler = httpHandler('get-template', {}, async (req) =>
  jsonResponse(200, await templates.get(req.pathParameters.templateId ?? '')),
);
