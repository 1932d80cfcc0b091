import { resourceEnv } from '../../lib/definition';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { QUALITY_ATTRIBUTES, QualityAccumulator } from '../quality/quality-report';
import { documentClient } from '../shared/aws-clients';
import { numberSetting, requiredEnv } from '../shared/settings';

const profiles = profileTableFromEnv();
const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

/**
 * Reads the attributes the report needs of every profile once (a parallel scan); the rejects and
 * merges come from the last 50 imports.
 */
export const handler = httpHandler('get-quality', {}, async () => {
  const quality = new QualityAccumulator(new Date(), numberSetting('staleProfileMonths'));
  const [recent] = await Promise.all([
    imports.list(50),
    profiles.scanAttributes(QUALITY_ATTRIBUTES, (page) => {
      for (const profile of page) quality.add(profile);
    }),
  ]);
  return jsonResponse(200, quality.report(recent));
});
