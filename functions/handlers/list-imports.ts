import { z } from 'zod';
import { resourceEnv } from '../../lib/definition';
import { validationFailed } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { zodDetails } from '../http/zod-details';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));
const querySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const handler = httpHandler('list-imports', {}, async (req) => {
  const parsed = querySchema.safeParse(req.query);
  if (!parsed.success) throw validationFailed(zodDetails(parsed.error, 'query'));
  return jsonResponse(200, { items: await imports.list(parsed.data.limit) });
});
