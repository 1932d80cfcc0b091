import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { templateInputSchema } from '../templates/template';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();

/** POST /templates: 201 with the template (version 1) and its report; 422 with line and column. */
export const handler = httpHandler('create-template', { body: templateInputSchema }, async (req) => {
  const saved = await templates.create(req.body);
  return jsonResponse(201, saved, { location: `/templates/${saved.template.templateId}` });
});
