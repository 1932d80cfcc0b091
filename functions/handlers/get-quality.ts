import { resourceEnv } from '../../lib/definition';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { DynamoDbImportStore } from '../imports/dynamodb-import-store';
import { profileStoreFromEnv } from '../profiles/profile-service-from-env';
import { QualityAccumulator } from '../quality/quality-report';
import { documentClient } from '../shared/aws-clients';
import { numberSetting, requiredEnv } from '../shared/settings';

const profiles = profileStoreFromEnv();
const imports = new DynamoDbImportStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

/** Reads every profile once (a scan); the rejects and merges come from the last 50 imports. */
export const handler = httpHandler('get-quality', {}, async () => {
  const quality = new QualityAccumulator(new Date(), numberSetting('staleProfileMonths'));
  for await (const page of profiles.scanAll()) for (const profile of page) quality.add(profile);
  return jsonResponse(200, quality.report(await imports.list(50)));
});
