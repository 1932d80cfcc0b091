import { resourceEnv } from '../../lib/definition';
import { DynamoDbEventStore } from '../events/dynamodb-event-store';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv, setting } from '../shared/settings';
import { DynamoDbProfileStore } from './dynamodb-profile-store';
import { DynamoDbProfileTable } from './dynamodb-profile-table';
import { ProfileService } from './profile-service';

/** The profiles table alone, for functions granted nothing else (no identifier markers). */
export const profileTableFromEnv = () =>
  new DynamoDbProfileTable(documentClient(), requiredEnv(resourceEnv.table('profiles')));

export const profileStoreFromEnv = () =>
  new DynamoDbProfileStore(
    documentClient(),
    requiredEnv(resourceEnv.table('profiles')),
    requiredEnv(resourceEnv.table('identifiers')),
  );

/** The profile service wired to DynamoDB from the function's environment (events only where granted). */
export const profileServiceFromEnv = (options: { events?: boolean } = {}) =>
  new ProfileService(
    profileStoreFromEnv(),
    options.events
      ? new DynamoDbEventStore(documentClient(), requiredEnv(resourceEnv.table('events')))
      : { deleteAllFor: () => Promise.reject(new Error('this function may not touch events')) },
    setting('defaultCountry'),
  );
