import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();

export const handler = httpHandler('list-templates', {}, async () =>
  jsonResponse(200, { items: await templates.list() }),
);
