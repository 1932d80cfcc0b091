import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { openApiDocument } from '../openapi/openapi-document';

const document = openApiDocument(process.env.PUBLIC_API_URL);

export const handler = httpHandler('get-openapi', {}, async () =>
  jsonResponse(200, document, { 'cache-control': 'public, max-age=300' }),
);
