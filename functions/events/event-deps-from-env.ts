import { resourceEnv } from '../../lib/definition';
import { profileServiceFromEnv, profileStoreFromEnv } from '../profiles/profile-service-from-env';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv, setting } from '../shared/settings';
import { parseCurrencyRates } from './currency-rates';
import { DynamoDbEventStore } from './dynamodb-event-store';
import { DynamoDbProfileAggregateStore } from './dynamodb-profile-aggregate-store';
import { ingestTransactionCleaner } from './ingest-transaction-cleaner';
import type { RecordEventsDeps } from './record-events';
import { TransactionRowProcessor } from './transaction-row-processor';
import type { TransactionCleaner } from './transaction-value';

/** The base currency setting, checked at cold start. */
export const baseCurrencyFromEnv = (): string => {
  const code = setting('baseCurrency');
  if (!/^[A-Z]{3}$/.test(code))
    throw new Error('setting baseCurrency (BASE_CURRENCY) must be an ISO 4217 code');
  return code;
};

/** Events, profile activity and profiles wired to DynamoDB from the function's environment. */
export const eventDepsFromEnv = (): RecordEventsDeps => ({
  events: new DynamoDbEventStore(documentClient(), requiredEnv(resourceEnv.table('events'))),
  activity: new DynamoDbProfileAggregateStore(documentClient(), requiredEnv(resourceEnv.table('profiles'))),
  profiles: profileServiceFromEnv({ events: true }),
  profileStore: profileStoreFromEnv(),
  defaultCountry: setting('defaultCountry'),
  baseCurrency: baseCurrencyFromEnv(),
  rates: parseCurrencyRates(setting('currencyRates')),
  earliestEventAt: earliestEventAtFromEnv(),
});

/** The earliestEventDate setting, checked at cold start. */
export const earliestEventAtFromEnv = (): Date => {
  const at = new Date(`${setting('earliestEventDate')}T00:00:00Z`);
  if (Number.isNaN(at.getTime()))
    throw new Error('setting earliestEventDate (EARLIEST_EVENT_DATE) must be YYYY-MM-DD');
  return at;
};

/**
 * The row processor of transaction files (`import-transactions`), wired from the environment.
 * `cleaner` defaults to the ingest library's transaction cleaning.
 */
export const transactionRowProcessorFromEnv = (cleaner?: TransactionCleaner) => {
  const { events, activity, baseCurrency, rates } = eventDepsFromEnv();
  return new TransactionRowProcessor({
    events,
    activity,
    baseCurrency,
    rates,
    profiles: profileStoreFromEnv(),
    cleaner: cleaner ?? ingestTransactionCleaner(baseCurrency),
  });
};
