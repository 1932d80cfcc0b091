import { resourceEnv } from '../../lib/definition';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { listImportsQuerySchema } from '../imports/list-imports-query';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

export const handler = httpHandler('list-imports', { query: listImportsQuerySchema }, async (req) =>
  jsonResponse(200, { items: await imports.list(req.query.limit) }),
);
