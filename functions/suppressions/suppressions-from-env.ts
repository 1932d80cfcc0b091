import { resourceEnv } from '../../lib/definition';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv, setting } from '../shared/settings';
import { DynamoDbSuppressionStore } from './dynamodb-suppression-store';
import { SuppressionService } from './suppression-service';

export const suppressionStoreFromEnv = () =>
  new DynamoDbSuppressionStore(documentClient(), requiredEnv(resourceEnv.table('suppressions')));

export const suppressionServiceFromEnv = () =>
  new SuppressionService({ store: suppressionStoreFromEnv(), defaultCountry: setting('defaultCountry') });
