import { resourceEnv } from '../../lib/definition';
import { notFound, validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

export const handler = httpHandler('get-import', {}, async (req) => {
  const importId = req.pathParameters.importId ?? '';
  if (!/^imp_[0-9a-f]{24}$/.test(importId)) {
    throw validationFailed([
      { path: 'path.importId', message: 'is not an import id (imp_ and 24 hex digits)' },
    ]);
  }
  const record = await imports.get(importId);
  if (!record) throw notFound(`No import ${importId}.`);
  return jsonResponse(200, record);
});
